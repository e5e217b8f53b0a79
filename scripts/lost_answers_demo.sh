#!/bin/bash
# The lost-answers demo (`make demo-writes`): one fresh service (SQLite, sandbox, dev keys) and curls
# through a refund whose store answer is lost (held back past the client's timeout, then cut off), a
# kill -9 of the API after the store applied a refund and the client's retry, and a model slowed to
# 120 s against the turn's deadline (25 s by default). Each case prints the store before and after
# and the requests the store received.
cd "$(dirname "$0")/.."
D=$(mktemp -d)
export DATA_DIR=$D PORT=${DEMO_PORT:-$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')} SUPPORT_ENV=dev
mkdir -p "$D/brands" && cp brands/*.yaml "$D/brands/"
sed -i 's/window_days: 30/window_days: 365/' "$D/brands/acme.yaml"  # the seeded orders stay returnable
export SUPPORT_BRANDS_DIR=$D/brands
.venv/bin/python -m sandbox --data-dir "$D" --brands-dir "$D/brands" > "$D/sandbox.log" 2>&1 &
SB=$!
for i in $(seq 60); do [ -f "$D/sandbox.json" ] && break; sleep 0.5; done
COMMERCE=$(python3 -c "import json;print(json.load(open('$D/sandbox.json'))['commerce'])")
MODEL=$(python3 -c "import json;print(json.load(open('$D/sandbox.json'))['model'])")
serve() {
  .venv/bin/uvicorn launch.asgi:app --host 127.0.0.1 --port $PORT >> "$D/serve.log" 2>&1 &
  SERVE=$!
  for i in $(seq 60); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.5; done
}
serve
trap 'kill $SERVE $SB 2>/dev/null; wait 2>/dev/null; rm -rf "$D"' EXIT
A='Authorization: Bearer acme-dev-key'; J='Content-Type: application/json'
ALICE='"customer": {"id": "cus_alice", "email": "alice@example.com", "verified": true}'
CAROL='"customer": {"id": "cus_carol", "email": "carol@example.com", "verified": true}'
U=http://127.0.0.1:$PORT/v1
say() { # conversation message_id text customer
  echo "\$ POST /v1/conversations/$1/messages  $3"
  curl -s -m 60 -X POST $U/conversations/$1/messages -H "$A" -H "$J" -d "{\"message_id\": \"$2\", \"text\": \"$3\", $4}" \
    | jq -c '{reply, handoff, workflows}'; echo
}
order() { # name: the order as the store holds it
  curl -s $COMMERCE/_admin/state | jq -c ".shops.acme.orders[] | select(.name==\"$1\") | {name, financial_status, refunds: [.refunds[] | {id, note, amount: ([.transactions[].amount] | join(\"+\"))}]}"
}
writes() { curl -s $COMMERCE/_admin/requests | jq -c '.requests[] | select(.method != "GET") | {method, path, status, fault, key: .headers["idempotency-key"]}'; }
fault() { # method path answer delay_ms
  curl -s -X POST $COMMERCE/_admin/faults -H "$J" -d "{\"method\": \"$1\", \"path\": \"$2\", \"answer\": \"$3\", \"delay_ms\": $4}" >/dev/null
}

echo "== 1. the store applies the refund and holds its answer back 20 s (the client waits 5 s)"
say lost-1 m1 "I want to return order 1001 and get a refund" "$ALICE"
echo "store before: $(order '#1001')"
curl -s -X DELETE $COMMERCE/_admin/requests >/dev/null
fault POST '/refunds\\.json$' delay 20000
T0=$(date +%s.%N); say lost-1 m2 "yes" "$ALICE"; echo "(answered in $(echo "$(date +%s.%N) - $T0" | bc | cut -c1-4) s)"
echo "store after:  $(order '#1001')"; echo "the store received:"; writes; echo

echo "== 2. the store applies the refund and the connection drops half-way through its answer"
say lost-2 m1 "I want to return order 1003 and get a refund" "$CAROL"
echo "store before: $(order '#1003')"
curl -s -X DELETE $COMMERCE/_admin/requests >/dev/null
fault POST '/refunds\\.json$' drop 0
say lost-2 m2 "yes" "$CAROL"
echo "store after:  $(order '#1003')"; echo "the store received:"; writes; echo

echo "== 3. kill -9 of the API after the store applied the refund, then the client's retry"
curl -s -X POST $COMMERCE/_admin/reset >/dev/null
say lost-3 m1 "I want to return order 1001 and get a refund" "$ALICE"
echo "store before: $(order '#1001')"
curl -s -X DELETE $COMMERCE/_admin/requests >/dev/null
fault POST '/refunds\\.json$' delay 60000
( curl -s -m 60 -X POST $U/conversations/lost-3/messages -H "$A" -H "$J" -d "{\"message_id\": \"m2\", \"text\": \"yes\", $ALICE}" >/dev/null 2>&1 & )
for i in $(seq 100); do [ "$(curl -s $COMMERCE/_admin/state | jq '.shops.acme.orders[] | select(.name=="#1001") | .refunds | length')" = 1 ] && break; sleep 0.1; done
echo "store (applied, answer held back): $(order '#1001')"
kill -9 $SERVE; wait $SERVE 2>/dev/null; echo "\$ kill -9 (API)"; serve; echo "\$ API restarted"
say lost-3 m2 "yes" "$ALICE"
echo "store after:  $(order '#1001')"; echo "the store received:"; writes; echo

echo "== 4. the model slowed to 120 s; the turn's deadline is acme's turn_deadline_s (default 25 s)"
curl -s -X POST $MODEL/_admin/mode -H "$J" -d '{"mode": "slow", "delay_ms": 120000}' >/dev/null
T0=$(date +%s.%N); say slow-1 m1 "where is my order 1002?" "$ALICE"; echo "(answered in $(echo "$(date +%s.%N) - $T0" | bc | cut -c1-5) s)"
curl -s -X POST $MODEL/_admin/mode -H "$J" -d '{"mode": "normal"}' >/dev/null

echo "== 5. the handoff sentence per reason (state/handoffs.py)"
.venv/bin/python -c '
from state.handoffs import WHY, closing
for reason in ("customer_asked", "not_automated", "tool_refused", "tool_failed", "model_unavailable", "deadline", "write_unconfirmed", "above_refund_cap", "internal_error"):
    said = WHY[reason].format(what="refund") if reason in WHY else "(the workflow says why)" if reason == "above_refund_cap" else "(nothing)"
    print(f"{reason:18} {said} {closing([reason], answered=False)}")
'
