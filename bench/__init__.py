"""Benchmarks that print figures; run each as a module (`python -m bench.turn_overhead`).

A bench that needs external systems starts the sandbox servers in-process and creates (and drops)
its own throwaway databases, so nothing needs to be running but PostgreSQL when a Postgres backend
is asked for. A bench measures and reports: it never changes the code it measures.
"""
