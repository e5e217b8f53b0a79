"""Helpers the tests share (imported by name); fixtures stay in the `conftest.py` files."""
