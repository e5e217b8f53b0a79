"""`GET /v1/reports/automation` over HTTP: ranges, brand isolation, the inactivity window, CSV."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from fastapi.testclient import TestClient

from tests.utils.clock import set_clock
from tests.utils.conversations import ACME, BOB, GLOBEX, event, say

NOV = {"from": "2026-11-01", "to": "2026-11-30"}
DEC = {"from": "2026-12-01", "to": "2026-12-31"}


def report(client: TestClient, params: dict, headers: dict = ACME) -> dict:
    response = client.get("/v1/reports/automation", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_that_a_bad_range_is_422_with_a_reason(client: TestClient) -> None:
    def problem(params: dict) -> tuple[int, object]:
        response = client.get("/v1/reports/automation", params=params, headers=ACME)
        return response.status_code, response.json()["detail"]

    assert problem({"from": "2026-11-30", "to": "2026-11-01"}) == (
        422,
        "from (2026-11-30) is after to (2026-11-01)",
    )
    assert problem({"from": "2025-01-01", "to": "2026-11-30"}) == (
        422,
        "range of 699 days is longer than 366",
    )
    status, detail = problem({"from": "2026-13-01", "to": "2026-11-30"})
    assert (status, detail[0]["loc"]) == (422, ["query", "from"])  # type: ignore[index]
    status, detail = problem({"from": "2026-11-01", "to": "30 November"})
    assert (status, detail[0]["loc"]) == (422, ["query", "to"])  # type: ignore[index]
    assert client.get("/v1/reports/automation", params=NOV).status_code == 401


def test_that_an_omitted_end_of_the_range_is_that_end_of_the_current_utc_month(client: TestClient) -> None:
    clock = set_clock(client, datetime(2026, 12, 1, 0, 30, tzinfo=timezone(timedelta(hours=2))))

    def bounds(params: dict) -> tuple[str, str]:
        body = report(client, params)
        return body["from"], body["to"]

    assert bounds({}) == ("2026-11-01", "2026-11-30")  # 22:30 on 30 November in UTC
    assert bounds({"from": "2026-11-15"}) == ("2026-11-15", "2026-11-30")
    assert bounds({"to": "2026-11-20"}) == ("2026-11-01", "2026-11-20")
    assert bounds(NOV) == ("2026-11-01", "2026-11-30")
    clock.advance(hours=2)
    assert bounds({}) == ("2026-12-01", "2026-12-31")
    response = client.get("/v1/reports/automation", params={"from": "2027-01-01"}, headers=ACME)
    assert (response.status_code, response.json()) == (
        422,
        {"detail": "from (2027-01-01) is after to (2026-12-31)"},
    )


def test_that_a_brands_report_holds_only_its_own_conversations(isolated_client: TestClient) -> None:
    client = isolated_client
    set_clock(client, datetime(2026, 11, 10, 9, 0, tzinfo=UTC))
    say(client, "shared-id", "where is my order 1001?")
    event(client, "shared-id", "closed")
    say(client, "shared-id", "where is my order 2001?", headers=GLOBEX, customer=BOB)
    event(client, "shared-id", "human_reply", text="Sorted.", headers=GLOBEX)
    event(client, "globex-only", "closed", headers=GLOBEX)
    acme, globex = report(client, NOV), report(client, NOV, GLOBEX)
    assert (acme["brand"], acme["conversations"], acme["segments"]["ai_only"], acme["charges"]) == (
        "acme", 1, 1, {"count": 1, "amount": 0.9},
    )  # fmt: skip
    assert (globex["brand"], globex["conversations"], globex["segments"], globex["charges"]) == (
        "globex", 2,
        {"ai_only": 0, "ai_and_human": 1, "human_only": 0, "ai_closed_no_reply": 0, "nobody": 1},
        {"count": 0, "amount": 0.0},
    )  # fmt: skip


def test_that_a_quiet_conversation_is_billed_when_the_window_ends_and_dated_then(
    isolated_client: TestClient,
) -> None:
    client = isolated_client
    clock = set_clock(client, datetime(2026, 11, 28, 21, 0, tzinfo=UTC))
    say(client, "quiet", "where is my order 1001?")
    clock.advance(hours=71)
    assert report(client, NOV)["charges"] == {"count": 0, "amount": 0.0}
    clock.advance(hours=2)
    nov, dec = report(client, NOV), report(client, DEC)
    assert (nov["conversations"], nov["charges"]["count"]) == (1, 0)  # opened in November ...
    assert (dec["conversations"], dec["charges"], dec["billable"]) == (
        0, {"count": 1, "amount": 0.9}, {"count": 1, "amount": 0.9},
    )  # fmt: skip  # ... billed on 1 December, when 72 h of quiet ended
    assert report(client, DEC) == dec  # settling again changes nothing


def test_that_csv_is_served_for_accept_text_csv(isolated_client: TestClient) -> None:
    client = isolated_client
    set_clock(client, datetime(2026, 11, 10, 9, 0, tzinfo=UTC))
    say(client, "c1", "where is my order 1001?")
    response = client.get("/v1/reports/automation", params=NOV, headers={**ACME, "Accept": "text/csv"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="automation-acme-2026-11-01-2026-11-30.csv"'
    )
    rows = dict(line.split(",") for line in response.text.splitlines())
    assert (rows["metric"], rows["conversations"], rows["ai_only"], rows["billable_amount"]) == (
        "value",
        "1",
        "1",
        "0.00",
    )
