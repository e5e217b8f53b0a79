"""Workflow subgraphs, one module each, compiled once at import and shared by every brand."""
