#!/bin/bash
# The ownership demo (`make demo-ownership`): one fresh service (SQLite, sandbox, dev keys) and curls
# through who owns a conversation: a handoff, a person replying, a hand-back, the report, the
# handoff queue, a conversation read back, and the webhook the brand receives.
cd "$(dirname "$0")/.."
D=$(mktemp -d)
FREE_PORT='import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
export DATA_DIR=$D PORT=${DEMO_PORT:-$(.venv/bin/python -c "$FREE_PORT")} SUPPORT_ENV=dev ACME_WEBHOOK_SECRET=whsec_demo
mkdir -p "$D/brands" && cp brands/*.yaml "$D/brands/"
.venv/bin/python -m sandbox --data-dir "$D" --brands-dir "$D/brands" > "$D/sandbox.log" 2>&1 &
SB=$!
trap 'kill $SB 2>/dev/null; wait 2>/dev/null; rm -rf "$D"' EXIT
for i in $(seq 60); do [ -f "$D/sandbox.json" ] && break; sleep 0.5; done
HOOKS=$(python3 -c "import json;print(json.load(open('$D/sandbox.json'))['webhooks'])")
COMMERCE=$(python3 -c "import json;print(json.load(open('$D/sandbox.json'))['commerce'])")
printf "\nwebhook: {url: '%s/acme', secret_env: ACME_WEBHOOK_SECRET}\n" "$HOOKS" >> "$D/brands/acme.yaml"
export SUPPORT_BRANDS_DIR=$D/brands
.venv/bin/uvicorn launch.asgi:app --host 127.0.0.1 --port $PORT > "$D/serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE $SB 2>/dev/null; wait 2>/dev/null; rm -rf "$D"' EXIT
for i in $(seq 60); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.5; done
A='Authorization: Bearer acme-dev-key'; G='Authorization: Bearer globex-dev-key'; J='Content-Type: application/json'
ALICE='"customer": {"id": "cus_alice", "email": "alice@example.com", "verified": true}'
BOB='"customer": {"id": "cus_bob", "email": "bob@example.com"}'
U=http://127.0.0.1:$PORT/v1
say() { # key conversation message_id text customer
  echo "\$ POST /v1/conversations/$2/messages  $4"
  curl -s -X POST $U/conversations/$2/messages -H "$1" -H "$J" -d "{\"message_id\": \"$3\", \"text\": \"$4\", $5}" \
    | jq -c '{reply, status, handoff, workflows}'; echo
}
ev() { # key conversation event_id type [text]
  echo "\$ POST /v1/conversations/$2/events  $4"
  curl -s -X POST $U/conversations/$2/events -H "$1" -H "$J" \
    -d "{\"event_id\": \"$3\", \"type\": \"$4\", \"author\": \"agent_7\", \"text\": ${5:-null}}" | jq -c .; echo
}
addr() { curl -s $COMMERCE/_admin/state | jq -c '.shops.acme.orders[] | select(.name=="#1002") | .shipping_address | {address1, city, zip}'; }
echo "== 1. a handoff, then the customer asks whether anyone is there"
say "$A" own-1 m1 "I want to talk to a human" "$ALICE"
say "$A" own-1 m2 "Hello? Is anyone there?" "$ALICE"
say "$A" own-1 m3 "hello??" "$ALICE"
echo "== 2. a person replies; the customer asks for an address change and confirms: the AI stays out"
ev "$A" own-1 e1 human_reply '"Hi, this is Dana from Acme."'
echo "order #1002 ships to (before): $(addr)"
say "$A" own-1 m4 "My order 1002 should go to my office instead: 500 Oak Road, Springfield, IL 62704" "$ALICE"
say "$A" own-1 m5 "yes, confirmed" "$ALICE"
echo "order #1002 ships to (after):  $(addr)"
echo "store writes: $(curl -s $COMMERCE/_admin/requests | jq '[.requests[] | select(.method=="PUT" or .method=="POST")] | length')"
echo
echo "== 3. the person hands the conversation back; the AI answers again"
ev "$A" own-1 e2 handed_back
say "$A" own-1 m6 "where is my order 1001?" "$ALICE"
echo "== 4. globex: one AI-only conversation and one handed off, both closed without a human reply"
say "$G" gx-ai m1 "where is my order 2001?" "$BOB"
ev "$G" gx-ai e1 closed
say "$G" gx-ho m1 "I want to talk to a human" "$BOB"
ev "$G" gx-ho e1 closed
MONTH_FROM=$(date -u +%Y-%m-01)
echo "\$ GET /v1/reports/automation  (globex, this month)"
curl -s "$U/reports/automation" -H "$G" | jq -c '{segments, automated, automation_rate, billable, handed_off_no_human_reply, unanswered_handoffs}'
echo
echo "== 5. a refund, then a person asked for: the queue and the conversation read back"
say "$A" own-3 m1 "I want to return order 1001 and get a refund" "$ALICE"
echo "\$ GET /v1/conversations/own-3   (the open confirmation)"
curl -s "$U/conversations/own-3" -H "$A" | jq -c '{status, open_confirmation}'
echo
say "$A" own-3 m2 "yes" "$ALICE"
say "$A" own-3 m3 "thanks. I want to speak to a person about something else" "$ALICE"
echo "\$ GET /v1/handoffs?status=waiting"
curl -s "$U/handoffs?status=waiting" -H "$A" | jq -c .
echo
echo "\$ GET /v1/conversations/own-3"
curl -s "$U/conversations/own-3" -H "$A" | jq -c '{status, pending_handoff, runs: [.runs[] | {workflow, status, turn, handoff_reason}], writes: [.writes[] | {kind, target, amount, currency, result}], open_confirmation}'
echo
echo "== 6. the webhook acme received, and its signature checked"
sleep 1
curl -s "$HOOKS/_admin/requests?path=/acme" | .venv/bin/python -c "
import json, sys
from service.webhooks import verify
for r in json.load(sys.stdin)['requests']:
    body = json.loads(r['body']); h = r['headers']
    ok = verify('whsec_demo', h['x-support-timestamp'], r['body'], h['x-support-signature'])
    bad = verify('another-secret', h['x-support-timestamp'], r['body'], h['x-support-signature'])
    print(body['type'], body['conversation_id'], json.dumps(body['data'])[:90], '| signature', 'valid' if ok else 'INVALID', '| with another secret:', 'valid' if bad else 'invalid')"
