"""Checkpointer factory (SQLite default, Postgres), conversation store, repair helpers."""
