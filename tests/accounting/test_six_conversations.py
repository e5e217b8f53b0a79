"""The accounting walk-through: six conversations through the HTTP API, and the report they produce.

One conversation per segment, plus one billed at its close and clawed back by a late human reply.
Run with `-s` to see the report as JSON, as CSV, and as the CLI prints it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from accounting.cli import main as report_cli
from accounting.cli import render_table
from config.settings import Settings
from tests.utils.clock import set_clock
from tests.utils.conversations import ACME, event, say

START = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
NOV = {"from": "2026-11-01", "to": "2026-11-30"}

EXPECTED_JSON = {
    "brand": "acme",
    "from": "2026-11-01",
    "to": "2026-11-30",
    "billing_mode": "strict",
    "price_per_automated_conversation": 0.9,
    "conversations": 6,
    "segments": {"ai_only": 1, "ai_and_human": 2, "human_only": 1, "ai_closed_no_reply": 1, "nobody": 1},
    "automation_rate": 0.25,
    "charges": {"count": 2, "amount": 1.8},
    "credits": {"count": 1, "amount": -0.9},
    "billable": {"count": 1, "amount": 0.9},
    "automated": 1,
    "handed_off_no_human_reply": 0,
    "unanswered_handoffs": {"count": 0, "open": 0, "oldest_since": None, "oldest_age_seconds": None},
}
EXPECTED_CSV = """metric,value
brand,acme
from,2026-11-01
to,2026-11-30
billing_mode,strict
price_per_automated_conversation,0.90
conversations,6
ai_only,1
ai_and_human,2
human_only,1
ai_closed_no_reply,1
nobody,1
automation_rate,0.2500
charges_count,2
charges_amount,1.80
credits_count,1
credits_amount,-0.90
billable_count,1
billable_amount,0.90
automated,1
handed_off_no_human_reply,0
unanswered_handoffs_count,0
unanswered_handoffs_open,0
unanswered_handoffs_oldest_since,
unanswered_handoffs_oldest_age_seconds,
"""


def without_costs(report: dict) -> dict:
    return {k: v for k, v in report.items() if k != "costs"}


def without_cost_rows(csv: str) -> str:
    """The CSV up to its cost rows (they come last, from `model_input_tokens` on)."""
    lines = csv.splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("model_input_tokens,"))
    return "".join(lines[:first])


def play_six_conversations(client: TestClient) -> dict[str, str]:
    """Drive the six conversations; return each one's segment as its last response gave it."""
    clock = set_clock(client, START)
    seen: dict[str, str] = {}

    def tick(name: str, out: dict) -> None:
        seen[name] = out["segment"]
        clock.advance(minutes=5)

    # 1. ai_only: answered, then "thanks" closes it silently -> billed at that close.
    tick("answered-by-ai", say(client, "answered-by-ai", "where is my order 1001?"))
    tick("answered-by-ai", say(client, "answered-by-ai", "Thanks a lot!"))
    # 2. ai_and_human: the AI asks to confirm a cancellation, an agent finishes it, the ticket closes.
    tick("ai-then-agent", say(client, "ai-then-agent", "please cancel my subscription sub_501"))
    tick("ai-then-agent", event(client, "ai-then-agent", "human_reply", text="Done, I cancelled sub_501."))
    tick("ai-then-agent", event(client, "ai-then-agent", "closed"))
    # 3. human_only: a ticket the AI never saw, answered and closed in the helpdesk.
    tick("agent-only", event(client, "agent-only", "human_reply", text="Your refund is on its way."))
    tick("agent-only", event(client, "agent-only", "closed"))
    # 4. ai_closed_no_reply: an out-of-office auto-reply; the AI closes without answering.
    tick("auto-reply", say(client, "auto-reply", "Automatic reply: I am out of the office until 1 December."))
    # 5. nobody: a spam ticket closed unanswered.
    tick("closed-unanswered", event(client, "closed-unanswered", "closed"))
    # 6. clawed back: answered by the AI, closed (billed), then a human replies two days later (credited).
    tick("late-human", say(client, "late-human", "where is my order 1002?"))
    tick("late-human", event(client, "late-human", "closed"))
    clock.advance(days=2)
    tick("late-human", event(client, "late-human", "human_reply", text="Following up: it ships tomorrow."))
    return seen


def test_that_six_conversations_produce_this_report_in_json_csv_and_the_cli(
    isolated_client: TestClient, isolated_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    client = isolated_client
    seen = play_six_conversations(client)
    assert seen == {
        "answered-by-ai": "ai_only",
        "ai-then-agent": "ai_and_human",
        "agent-only": "human_only",
        "auto-reply": "ai_closed_no_reply",
        "closed-unanswered": "nobody",
        "late-human": "ai_and_human",
    }
    for name, segment in seen.items():  # the conversation view agrees with the last response
        assert client.get(f"/v1/conversations/{name}", headers=ACME).json()["segment"] == segment

    as_json = client.get("/v1/reports/automation", params=NOV, headers=ACME).json()
    as_csv = client.get("/v1/reports/automation", params=NOV, headers={**ACME, "Accept": "text/csv"}).text
    # the cost lines follow every other figure; their values: tests/accounting/test_model_costs_api.py
    assert without_costs(as_json) == EXPECTED_JSON
    assert without_cost_rows(as_csv) == EXPECTED_CSV
    assert as_json["costs"]["carrier"]["count"] == 1  # order 1001's UPS lookup (1002 is unshipped)

    now = ["--now", client.app.state.service.clock().isoformat()]  # type: ignore[attr-defined]
    cli = ["--brand", "acme", "--month", "2026-11", *now]
    capsys.readouterr()
    outputs = []
    for fmt in ("json", "csv", "table"):
        report_cli([*cli, "--format", fmt], isolated_settings)
        outputs.append(capsys.readouterr().out)
    cli_json, cli_csv, table = outputs
    assert (json.loads(cli_json), cli_csv) == (as_json, as_csv)
    assert table == render_table([tuple(line.split(",")) for line in as_csv.splitlines()[1:]])
    assert table.splitlines()[5] == "conversations" + " " * 36 + "6"

    if True:  # shown with `pytest -s`
        print("\n\nGET /v1/reports/automation?from=2026-11-01&to=2026-11-30  (brand acme)\n")
        print(json.dumps(as_json, indent=2))
        print("\nAccept: text/csv\n")
        print(as_csv)
        print("python -m accounting --brand acme --month 2026-11\n")
        print(table)
