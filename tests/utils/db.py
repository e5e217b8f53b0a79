"""The PostgreSQL the tests use: `DATABASE_URL` (default: the local server's `test` database).

Under CI=true a database that cannot be reached fails the run; elsewhere its tests skip.
"""

from __future__ import annotations

import os

import psycopg

ADMIN_DB_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"


def postgres_problem(url: str) -> str | None:
    """Why the database at `url` cannot be reached, or None when it can."""
    try:
        with psycopg.connect(url, connect_timeout=3):
            return None
    except psycopg.OperationalError as exc:
        return str(exc).strip().splitlines()[0]
