"""Sandbox carriers: UPS, FedEx, USPS and DHL tracking APIs and an EasyPost-style aggregator.

One module per server (`ups`, `fedex`, `usps`, `dhl`, `aggregator`), each with `create_app()`;
they share `shipments` (the carrier-neutral shipment and the plant body), `store`, `gate` (request
recording and modes), `oauth` and `admin`. See sandbox/README.md, "Carrier servers".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from fastapi import FastAPI

from sandbox.carriers import dhl, fedex, ups, usps


class CarrierApp(Protocol):
    """A carrier server's factory: `accounts` replace the dev accounts of the repository's brands."""

    def __call__(self, accounts: Mapping[str, str] | None = None) -> FastAPI: ...


CARRIER_APPS: dict[str, CarrierApp] = {
    "ups": ups.create_app,
    "fedex": fedex.create_app,
    "usps": usps.create_app,
    "dhl": dhl.create_app,
}
"""Each native carrier's sandbox app factory, by the name `sandbox.json` and the settings use."""
