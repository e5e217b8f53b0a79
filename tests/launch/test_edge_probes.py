"""Issue #18's probes over real sockets against `make run` (SUPPORT_ENV=dev, a free port, a scratch
data folder): every answer is the 4xx it should be, small, and quick; `-s` prints the table
(`python -m bench.edge_probes` prints the same against any running service)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.edge_probes import Probe, probe_all
from tests.utils.launcher import MakeRun

pytestmark = pytest.mark.slow
TOKEN = "probe-metrics-token"


@pytest.fixture(scope="module")
def probes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Probe]]:
    data_dir: Path = tmp_path_factory.mktemp("probes") / "data"
    run = MakeRun(data_dir, {"SUPPORT_ENV": "dev", "SUPPORT_METRICS_TOKEN": TOKEN})
    try:
        run.start()
        found = probe_all(run.url, TOKEN)
    finally:
        run.kill()
    print("\n" + "\n".join(probe.line() for probe in found))
    yield {probe.name: probe for probe in found}


REFUSED = [
    ("lone surrogate in message text", 422),
    ("lone surrogate in customer id", 422),
    ("lone surrogate in customer email", 422),
    ("lone surrogate in event text", 422),
    ("lone surrogate in event author", 422),
    ("NUL in customer email", 422),
    ("body nested 40 deep (under the cap)", 422),
    ("body of 4,000 keys (48 kB, under the cap)", 422),
    ("chunked 10 MB body", 413),
    ("chunked 3.5 MB body of 300,000 keys", 413),
    ("64 kB header", 431),
    ("/metrics without a token", 401),
    ("/metrics with a wrong token", 401),
]


@pytest.mark.parametrize(("name", "status"), REFUSED, ids=[name for name, _ in REFUSED])
def test_that_each_hostile_request_gets_its_4xx_small_and_at_once(
    probes: dict[str, Probe], name: str, status: int
) -> None:
    probe = probes[name]
    assert probe.status == status, probe.body
    assert probe.bytes_back < 1_000
    assert probe.seconds < 1.0
    assert b'"detail"' in probe.body


def test_that_a_chunked_attack_leaves_healthz_answering(probes: dict[str, Probe]) -> None:
    note = probes["chunked 3.5 MB body of 300,000 keys"].note
    worst_ms = float(note.split(" max ")[1].split(" ms")[0])
    assert worst_ms < 1_000, note  # it stalled 14 s before the cap counted chunked bytes


def test_that_the_metrics_token_and_any_case_of_bearer_are_let_in(probes: dict[str, Probe]) -> None:
    for name in [
        "/metrics with the right token",
        "/metrics with the right token, `bearer`",
        "`bearer` API key, a real turn",
        "`BEARER` API key, a real turn",
    ]:
        assert probes[name].status == 200, (name, probes[name].body)
    assert b"support_turn_seconds" in probes["/metrics with the right token"].body
