"""Local stand-ins for the outside world, each a real HTTP server on loopback.

The model (OpenAI chat-completions wire format), the commerce store (Shopify-style orders,
Recharge-style subscriptions), UPS/FedEx/USPS/DHL tracking and an EasyPost-style aggregator
(`sandbox.carriers`). See sandbox/README.md
for each server's `/_admin/` API and modes.
"""
