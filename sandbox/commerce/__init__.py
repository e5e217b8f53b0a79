"""The sandbox commerce store: Shopify-style orders and Recharge-style subscriptions.

Modules: `seed` (the demo shops, fixed values the tests rely on), `store` (per-app in-memory
state), `gate` (modes and request recording in front of the API), `shopify`, `recharge` and
`admin` (the routers). `sandbox.commerce_server.create_app` assembles them.
"""
