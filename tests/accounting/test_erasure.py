"""Erasure (issue #18, item 6): `DELETE /v1/customers/{customer_id}` leaves none of the customer's
text, email or tracking numbers in any table or checkpoint, on SQLite and PostgreSQL, keeps another
customer's and the billing counts, and is idempotent and brand-scoped.

Each test has a database of its own (`isolated_client`), so scanning every table of it for alice's
email means only this test's conversations: `tests/utils/scan.py` reads every row of every table,
checkpoint blobs included, without a list of tables to forget one from.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from config.settings import Settings
from tests.utils.conversations import ACME, GLOBEX, event, new_conversation, say
from tests.utils.scan import hits, scan

MARK = "erase-me-7f3a9c"
"""Text only alice wrote."""
UPS_1001 = "1Z999AA10123456784"
"""The tracking number of alice's order 1001: in replies, checkpoints and the cost ledger."""
ALICES = ["alice@example.com", MARK, UPS_1001]
CAROL = {"id": "cus_carol", "email": "carol@example.com", "verified": True}
CAROLS = "carol-stays-41d2"
ZERO = {
    "conversations": 0, "messages": 0, "turns": 0, "events": 0, "owners": 0, "runs": 0, "writes": 0,
    "checkpoints": 0, "tracking_numbers": 0,
}  # fmt: skip


def report(client: TestClient) -> dict[str, Any]:
    body = client.get("/v1/reports/automation", headers=ACME).json()
    body["unanswered_handoffs"].pop("oldest_age_seconds")  # measured at the moment of the call
    return body


def erase(client: TestClient, customer: str, headers: dict[str, str] = ACME) -> dict[str, Any]:
    response = client.delete(f"/v1/customers/{customer}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def alices_conversations(client: TestClient) -> tuple[str, str]:
    """An order lookup (a UPS tracking lookup, costed) and a handoff a person answered."""
    lookup, person = new_conversation(), new_conversation()
    say(client, lookup, f"hi, I am alice@example.com ({MARK}), where is my order 1001?")
    say(client, lookup, "thanks, and when will it arrive? order 1001")
    say(client, person, f"I want to talk to a person please ({MARK})")
    event(client, person, "human_reply", text=f"Hello alice@example.com, a person here about {MARK}")
    return lookup, person


def test_that_erasing_a_customer_leaves_no_trace_of_her_text_in_any_table_and_the_report_unchanged(
    isolated_client: TestClient, isolated_settings: Settings
) -> None:
    client = isolated_client
    lookup, person = alices_conversations(client)
    carols = new_conversation()
    say(client, carols, f"where is my order 1003? ({CAROLS})", customer=CAROL)
    before, counted = scan(isolated_settings, [*ALICES, CAROLS]), report(client)
    print(
        f"\n{'postgres' if isolated_settings.database_url else 'sqlite'}: {len(before)} tables scanned: {sorted(before)}"
    )
    print(f"hits before: {hits(before)}")
    print(f"report before: conversations {counted['conversations']}, segments {counted['segments']}")
    for table in ("conversation_messages", "checkpoints", "carrier_lookups"):
        assert before[table]["alice@example.com" if table != "carrier_lookups" else UPS_1001] > 0, table

    assert erase(client, "cus_alice", GLOBEX) == {**ZERO, "customer_id": "cus_alice"}  # tier one
    assert scan(isolated_settings, ALICES) == {t: {n: before[t][n] for n in ALICES} for t in before}
    erased = erase(client, "cus_alice")
    after = scan(isolated_settings, [*ALICES, CAROLS])
    print(f"erased: {erased}")
    print(f"hits after: {hits(after)}")
    print(
        f"report after: conversations {report(client)['conversations']}, segments {report(client)['segments']}"
    )

    assert {t: {n: c for n, c in counts.items() if n in ALICES and c} for t, counts in after.items()} == {
        t: {} for t in after
    }
    assert sum(counts[CAROLS] for counts in after.values()) == sum(c[CAROLS] for c in before.values()) > 0
    assert erased["conversations"] == 2 and erased["customer_id"] == "cus_alice"
    assert erased["messages"] == 7  # alice's 3, the AI's 3 replies, the person's 1
    assert erased["turns"] == 3 and erased["events"] == 1 and erased["owners"] == 2
    assert erased["checkpoints"] >= 2 and erased["tracking_numbers"] >= 1
    assert report(client) == counted
    assert erase(client, "cus_alice") == {**ZERO, "customer_id": "cus_alice"}  # idempotent
    assert client.get(f"/v1/conversations/{lookup}", headers=ACME).status_code == 404
    assert client.get(f"/v1/conversations/{person}", headers=ACME).status_code == 404
    assert client.get(f"/v1/conversations/{carols}", headers=ACME).status_code == 200
