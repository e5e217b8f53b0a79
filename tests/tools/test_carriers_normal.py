"""Each carrier's response, in its published shape, normalised into one `TrackingResult` (pure code)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.carriers import aggregator, dhl, fedex, ups, usps
from tools.carriers.normal import MAX_TEXT, TrackingEvent, TrackingResult, describe, one_line, place, when
from tools.errors import NotFound, UpstreamError

CST = timezone(timedelta(hours=-6))


def test_that_ups_out_for_delivery_and_delivered_read_from_status_codes_and_delivery_dates() -> None:
    def package(status: dict, **extra: object) -> dict:
        activity = {"location": {"address": {"city": "PARAMUS", "stateProvince": "NJ", "countryCode": "US"}},
                    "status": status, "date": "20220126", "time": "163000", "gmtOffset": "-05:00"}  # fmt: skip
        return {
            "trackResponse": {
                "shipment": [{"package": [{"activity": [activity], "currentStatus": status, **extra}]}]
            }
        }

    out = ups.parse(package({"type": "I", "code": "OT", "description": "Out For Delivery Today"}), "1Z")
    assert (out.status, out.last_event and out.last_event.place) == ("out_for_delivery", "Paramus, NJ, US")
    done = ups.parse(
        package({"type": "D", "code": "F4", "description": "DELIVERED "}, deliveryDate=[{"type": "DEL", "date": "20220126"}],
                deliveryTime={"type": "DEL", "endTime": "163000"}),
        "1Z",
    )  # fmt: skip
    assert (done.status, done.delivered_at, done.estimated_delivery) == (
        "delivered", datetime(2022, 1, 26, 16, 30, tzinfo=timezone(timedelta(hours=-5))), None,
    )  # fmt: skip
    with pytest.raises(NotFound):
        ups.parse({"trackResponse": {"shipment": [{"package": []}]}}, "1Z")


def test_that_fedex_not_found_is_a_result_error_and_other_result_errors_are_upstream_errors() -> None:
    def body(error: dict) -> dict:
        return {"output": {"completeTrackResults": [{"trackResults": [{"error": error}]}]}}

    with pytest.raises(NotFound):
        fedex.parse(body({"code": "TRACKING.TRACKINGNUMBER.NOTFOUND", "message": "x"}), "123456789012")
    with pytest.raises(UpstreamError) as caught:
        fedex.parse(body({"code": "SYSTEM.UNAVAILABLE.EXCEPTION", "message": "x"}), "123456789012")
    assert caught.value.status == 502


def test_that_fedex_reads_the_newest_scan_and_the_estimated_window() -> None:
    result = {
        "latestStatusDetail": {"derivedCode": "PU"},
        "scanEvents": [
            {"date": "2018-02-02T12:01:00-07:00", "eventDescription": "Picked Up",
             "scanLocation": {"city": "SEATTLE", "stateOrProvinceCode": "WA", "countryCode": "US"}},
            {"date": "2018-02-01T09:00:00-07:00", "eventDescription": "Shipment information sent to FedEx"},
        ],
        "estimatedDeliveryTimeWindow": {"window": {"begins": "2018-02-05T08:00:00", "ends": "2018-02-06T00:00:00-06:00"}},
    }  # fmt: skip
    parsed = fedex.parse({"output": {"completeTrackResults": [{"trackResults": [result]}]}}, "123456789012")
    assert (parsed.status, parsed.last_event and parsed.last_event.description, parsed.estimated_delivery) == (
        "in_transit", "Picked Up", date(2018, 2, 6),
    )  # fmt: skip


def test_that_usps_local_times_get_their_gmt_offset_and_categories_map_to_statuses() -> None:
    body = {
        "statusCategory": "Out for Delivery",
        "expectedDeliveryTimeStamp": "2024-11-22T00:00:00Z",
        "trackingEvents": [{"eventType": "Out for Delivery", "eventTimestamp": "2024-11-22T09:10:00",
                            "GMTOffset": "-06:00", "eventCity": "HERNANDO", "eventState": "FL", "eventCountry": None}],
    }  # fmt: skip
    parsed = usps.parse(body, "9400")
    assert parsed == TrackingResult(
        "usps", "9400", "out_for_delivery",
        TrackingEvent("Out for Delivery", datetime(2024, 11, 22, 9, 10, tzinfo=CST), "Hernando, FL, US"),
        date(2024, 11, 22), None,
    )  # fmt: skip


def test_that_dhl_delivered_takes_the_status_timestamp_and_no_shipment_is_not_found() -> None:
    shipment = {
        "status": {"timestamp": "2018-08-03T00:00:00Z", "statusCode": "delivered", "status": "DELIVERED", "description": "Delivered"},
        "estimatedTimeOfDelivery": "2018-08-03T00:00:00Z",
        "events": [{"timestamp": "2018-03-02T07:53:47", "statusCode": "transit", "description": "JESSICA",
                    "location": {"address": {"countryCode": "NL", "addressLocality": "Oderweg 2, AMSTERDAM"}}}],
    }  # fmt: skip
    parsed = dhl.parse({"shipments": [shipment]}, "7777777770")
    assert (parsed.status, parsed.delivered_at, parsed.estimated_delivery) == (
        "delivered",
        datetime(2018, 8, 3, tzinfo=UTC),
        None,
    )
    assert parsed.last_event == TrackingEvent(
        "JESSICA", datetime(2018, 3, 2, 7, 53, 47), "Oderweg 2, AMSTERDAM, NL"
    )
    with pytest.raises(NotFound):
        dhl.parse({"shipments": []}, "7777777770")


def test_that_an_aggregator_tracker_without_details_has_no_data() -> None:
    parsed = aggregator.parse(
        {"status": "unknown", "tracking_details": [], "est_delivery_date": None}, "EZ1", "ups"
    )
    assert (parsed.status, parsed.last_event, parsed.has_data) == ("unknown", None, False)
    oldest_first = {"status": "pre_transit", "tracking_details": [
        {"message": "Pre-Shipment Info Sent to USPS", "datetime": "2025-04-09T20:40:17Z", "tracking_location": {}},
        {"message": "Shipping Label Created", "datetime": "2025-04-10T09:17:17Z",
         "tracking_location": {"city": "HOUSTON", "state": "TX", "country": None}},
    ]}  # fmt: skip
    newest = aggregator.parse(oldest_first, "EZ1", "usps").last_event
    assert newest == TrackingEvent(
        "Shipping Label Created", datetime(2025, 4, 10, 9, 17, 17, tzinfo=UTC), "Houston, TX"
    )


def test_that_the_sentence_names_status_place_time_and_dates() -> None:
    result = TrackingResult("royal_mail", "RB123456785GB", "pre_transit",
                            TrackingEvent("Sender  despatching\nitem", None, None), date(2026, 11, 15), None)  # fmt: skip
    assert describe(result) == (
        "Royal Mail tracking RB123456785GB: label created, not yet handed to the carrier. "
        'Last event: "Sender despatching item". Estimated delivery: 2026-11-15.'
    )
    assert when(datetime(2026, 1, 2, 3, 4)) == "2026-01-02 03:04 local time"
    assert when(datetime(2026, 1, 2, 3, 4, tzinfo=UTC)) == "2026-01-02 03:04 (UTC)"
    assert (
        when(datetime(2026, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=5, minutes=30))))
        == "2026-01-02 03:04 (UTC+05:30)"
    )
    assert place("AUSTIN TX DISTRIBUTION CENTER", None, "US") == "Austin TX Distribution Center, US"
    assert place(None, "") is None


@given(st.text())
def test_that_third_party_text_is_one_capped_line_and_stays_so(text: str) -> None:
    line = one_line(text)
    assert len(line) <= MAX_TEXT
    assert not any(c in line for c in "\n\r\t")
    assert one_line(line) == line
