"""Local stand-ins for the outside world, each a real HTTP server on loopback.

The model (OpenAI chat-completions wire format), the commerce store (Shopify-style orders,
Recharge-style subscriptions) and, later, carriers and an aggregator. See sandbox/README.md
for each server's `/_admin/` API and modes.
"""
