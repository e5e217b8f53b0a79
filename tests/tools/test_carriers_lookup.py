"""Carrier lookups against the real sandbox carriers: routing, credentials, retries, the cost ledger.

Every test goes through `tools.carriers.lookup.track` over HTTP to the session's sandbox servers and
records into a real SQLite cost ledger; nothing is patched.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import aiosqlite
import pytest

from accounting.costs import CostLedger
from brands import CarriersConfig, NativeCarriers, default_brands
from brands.context import BrandContext
from checkpoint.db import SqliteDatabase
from config.settings import get_settings
from tests.utils.sandbox import Sandbox
from tools.carriers.lookup import describe_lookup, track, track_order
from tools.carriers.normal import TrackingEvent, TrackingResult
from tools.http import RETRIES, aclose_clients

UPS_1001 = "1Z999AA10123456784"
USPS_1003 = "9400111899223854165703"
ROYAL_MAIL_2001 = "RB123456785GB"
FEDEX_EXPRESS = "986578788855"
DHL_EXPRESS = "3318810025"
EST = timezone(timedelta(hours=-5))


@pytest.fixture
async def ledger(tmp_path: Path) -> AsyncIterator[CostLedger]:
    async with aiosqlite.connect(tmp_path / "ledger.sqlite") as conn:
        costs = CostLedger(SqliteDatabase(conn))
        await costs.setup()
        yield costs
        await aclose_clients()


def context(ledger: CostLedger, brand: str = "acme") -> BrandContext:
    return BrandContext(brand_id=brand, conversation_id="c-lookup", costs=ledger)


def rows(sandbox: Sandbox, system: str) -> list[dict]:
    return sandbox.admin(system, "GET", "requests").json()["requests"]


def plant(sandbox: Sandbox, system: str, number: str, description: str, status: str = "in_transit") -> None:
    event = {"time": "2026-11-12T10:15:00-06:00", "status": status, "description": description,
             "city": "MEMPHIS", "region": "TN", "country": "US"}  # fmt: skip
    sandbox.admin(
        system,
        "POST",
        "plant",
        {"tracking_number": number, "events": [event], "estimated_delivery": "2026-11-14"},
    )


async def test_that_a_ups_number_is_tracked_natively_normalised_and_costed(
    sandbox: Sandbox, ledger: CostLedger
) -> None:
    lookup = await track(UPS_1001, "UPS", context(ledger))
    assert (lookup.carrier, lookup.via, lookup.outcome, lookup.cost) == (
        "ups",
        "native",
        "found",
        Decimal("0.002"),
    )
    assert lookup.result == TrackingResult(
        carrier="ups",
        tracking_number=UPS_1001,
        status="in_transit",
        last_event=TrackingEvent(
            "Arrived at Facility", datetime(2026, 11, 12, 6, 40, tzinfo=EST), "Scarborough, ME, US"
        ),
        estimated_delivery=datetime(2026, 11, 13).date(),
        delivered_at=None,
    )
    [row] = await ledger.rows("acme")
    assert (row.thread_id, row.carrier, row.via, row.tracking_number, row.outcome, row.cost, row.currency) == (
        "acme:c-lookup", "ups", "native", UPS_1001, "found", Decimal("0.002"), "USD",
    )  # fmt: skip
    assert rows(sandbox, "aggregator") == []
    assert [(r["method"], r["path"], r["account"]) for r in rows(sandbox, "ups")] == [
        ("POST", "/security/v1/oauth/token", "acme-ups-dev-client-id"),
        ("GET", f"/api/track/v1/details/{UPS_1001}", "acme-ups-dev-client-id"),
    ]


async def test_that_a_delivered_usps_parcel_reads_with_its_delivery_time(
    sandbox: Sandbox, ledger: CostLedger
) -> None:
    lookup = await track(USPS_1003, "USPS", context(ledger))
    assert describe_lookup(lookup) == (
        'USPS tracking 9400111899223854165703: delivered. Last event: "Delivered, In/At Mailbox" at Austin, TX, US '
        "on 2026-10-31 13:12 (UTC-05:00). Delivered on 2026-10-31 13:12 (UTC-05:00)."
    )
    assert [(r.carrier, r.via, r.cost) for r in await ledger.rows("acme")] == [
        ("usps", "native", Decimal("0.001"))
    ]


async def test_that_fedex_and_dhl_numbers_go_to_their_own_apis(sandbox: Sandbox, ledger: CostLedger) -> None:
    plant(sandbox, "fedex", FEDEX_EXPRESS, "Departed FedEx hub")
    plant(sandbox, "dhl", DHL_EXPRESS, "Processed at DHL hub")
    fedex, dhl = (
        await track(FEDEX_EXPRESS, None, context(ledger)),
        await track(DHL_EXPRESS, None, context(ledger)),
    )
    assert describe_lookup(fedex) == (
        'FedEx tracking 986578788855: in transit. Last event: "Departed FedEx hub" at Memphis, TN, US '
        "on 2026-11-12 10:15 (UTC-06:00). Estimated delivery: 2026-11-14."
    )
    assert describe_lookup(dhl) == (
        'DHL tracking 3318810025: in transit. Last event: "Processed at DHL hub" at Memphis, TN, US '
        "on 2026-11-12 10:15 local time. Estimated delivery: 2026-11-14."
    )
    assert sorted((r.carrier, r.via, r.cost) for r in await ledger.rows("acme")) == [
        ("dhl", "native", Decimal("0.003")), ("fedex", "native", Decimal("0.002")),
    ]  # fmt: skip
    assert rows(sandbox, "aggregator") == []


async def test_that_a_carrier_without_a_native_module_goes_through_the_aggregator_at_its_price(
    sandbox: Sandbox, ledger: CostLedger
) -> None:
    lookup = await track(ROYAL_MAIL_2001, "Royal Mail", context(ledger, "globex"))
    assert (lookup.carrier, lookup.via, lookup.outcome, lookup.cost) == (
        "royal_mail",
        "aggregator",
        "found",
        Decimal("0.05"),
    )
    assert describe_lookup(lookup) == (
        'Royal Mail tracking RB123456785GB: in transit. Last event: "Item in transit" at London Central Mail Centre, '
        "GB on 2026-11-14 05:18 (UTC). Estimated delivery: 2026-11-15."
    )
    [request] = rows(sandbox, "aggregator")
    assert (request["body"], request["account"]) == (
        {"tracker": {"tracking_code": ROYAL_MAIL_2001, "carrier": "RoyalMail"}},
        "globex",
    )
    assert [(r.brand_id, r.carrier, r.via, r.cost) for r in await ledger.rows("globex")] == [
        ("globex", "royal_mail", "aggregator", Decimal("0.05"))
    ]
    assert await ledger.rows("acme") == []


async def test_that_a_brand_without_a_native_account_sends_that_carrier_to_the_aggregator(
    sandbox: Sandbox, ledger: CostLedger
) -> None:
    lookup = await track(USPS_1003, "USPS", context(ledger, "globex"))  # globex has no USPS account
    assert (lookup.via, lookup.outcome, lookup.cost) == ("aggregator", "no_data", Decimal("0.05"))
    assert (
        describe_lookup(lookup)
        == f"USPS tracking {USPS_1003}: the carrier has no tracking events for it yet."
    )
    assert rows(sandbox, "usps") == []


async def test_that_a_brand_with_neither_makes_no_lookup_and_writes_no_row(
    sandbox: Sandbox, ledger: CostLedger
) -> None:
    bare = default_brands()["acme"].model_copy(update={"carriers": CarriersConfig(native=NativeCarriers())})
    ctx = BrandContext(brand_id="acme", conversation_id="c-lookup", config=bare, costs=ledger)
    lookup = await track(UPS_1001, "UPS", ctx)
    assert (lookup.via, lookup.outcome, lookup.result) == (None, None, None)
    assert describe_lookup(lookup) == f"UPS tracking {UPS_1001}: live tracking is unavailable right now."
    assert (await ledger.rows("acme"), rows(sandbox, "ups"), rows(sandbox, "aggregator")) == ([], [], [])


async def test_that_the_credential_comes_from_the_env_var_the_brand_names(
    sandbox: Sandbox, ledger: CostLedger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPPORT_ENV", "prod")
    monkeypatch.setenv("ACME_UPS_CLIENT_ID", "acme-ups-dev-client-id")
    monkeypatch.setenv("ACME_UPS_CLIENT_SECRET", "acme-ups-dev-client-secret")
    assert (await track(UPS_1001, "UPS", context(ledger))).outcome == "found"
    monkeypatch.setenv("ACME_UPS_CLIENT_SECRET", "a-wrong-secret")
    wrong = await track(UPS_1001, "UPS", context(ledger))
    assert (wrong.outcome, wrong.cost) == ("error", Decimal(0))
    monkeypatch.delenv("ACME_UPS_CLIENT_SECRET")
    sandbox.admin("ups", "DELETE", "requests")
    unset = await track("1Z5R89390357567127", "UPS", context(ledger))  # prod: no dev fallback
    assert (unset.outcome, rows(sandbox, "ups")) == ("error", [])
    assert [(r.outcome, r.cost) for r in await ledger.rows("acme")] == [
        ("found", Decimal("0.002")), ("error", Decimal(0)), ("error", Decimal(0)),
    ]  # fmt: skip


async def test_that_a_refused_token_is_replaced_once_and_the_lookup_succeeds(
    sandbox: Sandbox, ledger: CostLedger
) -> None:
    await track(UPS_1001, "UPS", context(ledger))
    sandbox.admin("ups", "POST", "tokens/expire")
    sandbox.admin("ups", "DELETE", "requests")
    again = await track(UPS_1001, "UPS", context(ledger))
    assert again.outcome == "found"
    assert [(r["method"], r["status"]) for r in rows(sandbox, "ups")] == [
        ("GET", 401),
        ("POST", 200),
        ("GET", 200),
    ]


async def test_that_a_429_is_retried_after_its_retry_after(sandbox: Sandbox, ledger: CostLedger) -> None:
    sandbox.admin("usps", "POST", "mode", {"mode": "rate_limited", "retry_after": 1, "times": 1})
    started = time.monotonic()
    lookup = await track(USPS_1003, "USPS", context(ledger))
    assert lookup.outcome == "found"
    assert time.monotonic() - started >= 1.0
    assert [r["status"] for r in rows(sandbox, "usps") if r["method"] == "GET"] == [429, 200]


async def test_that_a_carrier_outage_reads_unavailable_costs_nothing_and_is_retried_a_bounded_number_of_times(
    sandbox: Sandbox, ledger: CostLedger
) -> None:
    sandbox.admin("dhl", "POST", "mode", {"mode": "server_error"})
    lookup = await track(DHL_EXPRESS, "DHL", context(ledger))
    assert (lookup.outcome, lookup.cost) == ("error", Decimal(0))
    assert describe_lookup(lookup) == f"DHL tracking {DHL_EXPRESS}: live tracking is unavailable right now."
    assert [r["status"] for r in rows(sandbox, "dhl")] == [500] * (RETRIES + 1)
    assert [(r.via, r.outcome, r.cost) for r in await ledger.rows("acme")] == [
        ("native", "error", Decimal(0))
    ]


async def test_that_a_slow_carrier_times_out_within_the_carrier_timeout(
    sandbox: Sandbox, ledger: CostLedger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPPORT_CARRIER_TIMEOUT_S", "0.2")
    get_settings.cache_clear()
    try:
        sandbox.admin("aggregator", "POST", "mode", {"mode": "slow", "delay_ms": 1000})
        started = time.monotonic()
        lookup = await track(ROYAL_MAIL_2001, "Royal Mail", context(ledger))
        elapsed = time.monotonic() - started
    finally:
        monkeypatch.delenv("SUPPORT_CARRIER_TIMEOUT_S")
        get_settings.cache_clear()
    assert (lookup.via, lookup.outcome, lookup.cost) == ("aggregator", "error", Decimal(0))
    assert elapsed < 1.5


async def test_that_a_carrier_404_is_no_data_and_still_costs_the_lookup(
    sandbox: Sandbox, ledger: CostLedger
) -> None:
    sandbox.admin("fedex", "POST", "mode", {"mode": "not_found"})
    lookup = await track(FEDEX_EXPRESS, "FedEx", context(ledger))
    assert (lookup.outcome, lookup.cost) == ("no_data", Decimal("0.002"))


async def test_that_every_tracking_number_of_every_fulfilment_is_looked_up(
    sandbox: Sandbox, ledger: CostLedger
) -> None:
    order = {"fulfillments": [
        {"tracking_company": "UPS", "tracking_number": UPS_1001, "tracking_numbers": [UPS_1001, USPS_1003]},
        {"tracking_company": "Royal Mail", "tracking_number": ROYAL_MAIL_2001, "tracking_numbers": []},
        {"tracking_company": None, "tracking_number": None, "tracking_numbers": []},
    ]}  # fmt: skip
    lookups = await track_order(order, context(ledger))
    assert [(lk.tracking_number, lk.carrier, lk.via) for lk in lookups] == [
        (UPS_1001, "ups", "native"), (USPS_1003, "usps", "native"), (ROYAL_MAIL_2001, "royal_mail", "aggregator"),
    ]  # fmt: skip
    assert len(await ledger.rows("acme")) == 3
