"""What the turn bench runs against: the sandbox servers in-process and throwaway PostgreSQL databases.

`sandbox()` starts every sandbox server the service calls (model, commerce store, the carriers and
the tracking aggregator), points the environment at them (`SUPPORT_MODEL_BASE_URL`,
`SUPPORT_COMMERCE_URL`, `SUPPORT_CARRIER_<NAME>_URL`, `SUPPORT_AGGREGATOR_URL`, `SUPPORT_ENV=dev`)
and restores it after; `throwaway_databases()` creates
databases through an admin URL and drops them (`WITH (FORCE)`) whatever happens. A backend the
bench cannot reach raises `BenchError`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import psycopg

from config.settings import get_settings
from sandbox.carriers import CARRIER_APPS
from sandbox.carriers.aggregator import create_app as create_aggregator
from sandbox.commerce_server import create_app as create_commerce
from sandbox.model_server import create_app as create_model
from sandbox.serve import ServerThread
from tools.carriers.auth import clear_tokens


class BenchError(Exception):
    """The bench could not run as asked (a backend is unreachable, a flag is wrong)."""


@dataclass(frozen=True)
class Sandbox:
    """Base URLs of the running sandbox servers, by system (`model`, `commerce`, carriers...)."""

    urls: dict[str, str]

    @property
    def model(self) -> str:
        return self.urls["model"]

    def reset(self) -> None:
        """Fresh state everywhere: every server's `/_admin/reset`, and no carrier token cached here."""
        for base in self.urls.values():
            httpx.post(f"{base}/_admin/reset", timeout=5).raise_for_status()
        clear_tokens()  # the carriers forgot the tokens they issued


def _servers() -> dict[str, ServerThread]:
    apps = {
        "model": create_model,
        "commerce": create_commerce,
        **CARRIER_APPS,
        "aggregator": create_aggregator,
    }
    return {system: ServerThread(create()) for system, create in apps.items()}


def _environment(urls: dict[str, str]) -> dict[str, str]:
    carriers = {f"SUPPORT_CARRIER_{name.upper()}_URL": urls[name] for name in CARRIER_APPS}
    return {
        "SUPPORT_MODEL_BASE_URL": f"{urls['model']}/v1",
        "SUPPORT_COMMERCE_URL": urls["commerce"],
        **carriers,
        "SUPPORT_AGGREGATOR_URL": urls["aggregator"],
        "SUPPORT_ENV": "dev",
    }


@contextmanager
def sandbox() -> Iterator[Sandbox]:
    """Every sandbox server on loopback, the environment pointed at them and restored after."""
    with ExitStack() as stack:
        urls = {system: stack.enter_context(server).url for system, server in _servers().items()}
        env = _environment(urls)
        saved = {name: os.environ.get(name) for name in env}
        os.environ.update(env)
        get_settings.cache_clear()
        try:
            yield Sandbox(urls)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            get_settings.cache_clear()


@contextmanager
def throwaway_databases(admin_url: str, count: int) -> Iterator[list[str]]:
    """`count` fresh PostgreSQL databases, dropped on exit."""
    parts = urlsplit(admin_url)
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[0]
        raise BenchError(
            f"PostgreSQL at {parts.hostname}:{parts.port or 5432} is unreachable: {reason}"
        ) from exc
    names = [f"bench_turns_{uuid.uuid4().hex[:10]}" for _ in range(count)]
    base = admin_url.rsplit("/", 1)[0]
    try:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        yield [f"{base}/{name}" for name in names]
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
