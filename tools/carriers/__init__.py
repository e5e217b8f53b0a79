"""Carrier tracking: native integrations first, the aggregator only for carriers without one.

Modules: `detect` (tracking-number formats and check digits), one module per carrier (`ups`,
`fedex`, `usps`, `dhl`) plus `aggregator` (EasyPost-style), `auth` (credentials by env var, OAuth
tokens), `normal` (the normalised `TrackingResult`), `lookup` (routing, cost ledger rows, the
sentences for the model). See docs/carriers.md.
"""
