"""Run the sandbox servers until SIGTERM or SIGINT: `python -m sandbox [--data-dir DIR] [--brands-dir DIR]`.

Starts the model server, the commerce server, one server per carrier (UPS, FedEx, USPS, DHL), the
tracking aggregator and the webhook receiver on loopback ports chosen by the OS, writes
`$DATA_DIR/sandbox.json` (`{"model", "commerce", "carriers": {name: url}, "aggregator", "webhooks",
"pid"}`, see `sandbox.registry`),
prints one line per server, and on a stop signal stops the servers and removes the file. The data
dir defaults to `$DATA_DIR`, else `./var`. The brand files (`--brands-dir`, default
`$SUPPORT_BRANDS_DIR`, else the repository's `brands/`) give the commerce server its shops and seed
data and every server its dev accounts (`sandbox.brands`, `sandbox.accounts`).
"""

from __future__ import annotations

import argparse
import os
import signal
from collections.abc import Sequence
from pathlib import Path

from fastapi import FastAPI

from sandbox.accounts import carrier_accounts
from sandbox.brands import REPO_BRANDS_DIR, BrandFileError, SandboxBrand, read_brands
from sandbox.carriers import CARRIER_APPS
from sandbox.carriers.aggregator import create_app as create_aggregator_app
from sandbox.commerce_server import create_app as create_commerce_app
from sandbox.registry import remove_sandbox_file, write_sandbox_file
from sandbox.serve import ServerThread
from sandbox.webhooks import create_app as create_webhooks_app

STOP_SIGNALS = frozenset({signal.SIGTERM, signal.SIGINT})


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("DATA_DIR", "var")),
        help="where sandbox.json is written (default: $DATA_DIR, else ./var)",
    )
    parser.add_argument(
        "--brands-dir",
        type=Path,
        default=Path(os.environ.get("SUPPORT_BRANDS_DIR") or REPO_BRANDS_DIR),
        help="the brand files whose shops and dev accounts to serve (default: $SUPPORT_BRANDS_DIR, else brands/)",
    )
    return parser.parse_args(argv)


def model_app() -> FastAPI:
    # Imported here so the commerce server and its tests do not depend on the model server.
    from sandbox.model_server import create_app

    return create_app()


def block_stop_signals() -> None:
    """Hold stop signals pending (server threads inherit the mask) until `sigwait` takes one.

    Waiting with `sigwait` instead of a Python handler means no handler can run while the main
    thread holds a lock, and a signal that arrives during startup is kept, not lost.
    """
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)


def start_servers(brands: Sequence[SandboxBrand]) -> dict[str, ServerThread]:
    """Start every sandbox server for `brands`; if one fails to start, stop those already running."""
    servers: dict[str, ServerThread] = {}
    try:
        servers["model"] = ServerThread(model_app()).start()
        servers["commerce"] = ServerThread(create_commerce_app(brands=brands)).start()
        for name, create in CARRIER_APPS.items():
            servers[name] = ServerThread(create(carrier_accounts(name, brands))).start()
        servers["aggregator"] = ServerThread(
            create_aggregator_app(carrier_accounts("aggregator", brands))
        ).start()
        servers["webhooks"] = ServerThread(create_webhooks_app()).start()
    except BaseException:
        stop_servers(servers)
        raise
    return servers


def sandbox_urls(servers: dict[str, ServerThread]) -> dict[str, object]:
    """The URLs as `sandbox.json` holds them: carriers grouped under `carriers`."""
    return {
        "model": servers["model"].url,
        "commerce": servers["commerce"].url,
        "carriers": {name: servers[name].url for name in CARRIER_APPS},
        "aggregator": servers["aggregator"].url,
        "webhooks": servers["webhooks"].url,
    }


def stop_servers(servers: dict[str, ServerThread]) -> None:
    """Ask every server to exit, then wait for each: all of them shut down together."""
    for server in servers.values():
        server.ask_to_stop()
    for server in reversed(servers.values()):
        server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    data_dir: Path = args.data_dir.resolve()
    try:
        brands = read_brands(args.brands_dir)
    except BrandFileError as exc:
        raise SystemExit(f"python -m sandbox: {exc}") from None
    block_stop_signals()
    servers = start_servers(brands)
    pid = os.getpid()
    try:
        write_sandbox_file(data_dir, {**sandbox_urls(servers), "pid": pid})
        for name, server in servers.items():
            kind = "carrier " if name in CARRIER_APPS else ""
            print(f"sandbox {name} {kind}server: {server.url}", flush=True)
        signal.sigwait(STOP_SIGNALS)
    finally:
        stop_servers(servers)
        remove_sandbox_file(data_dir, pid)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
