"""The main support graph: its builder (`builder.py`); the workflows it runs are the registry's (`workflows/`)."""
