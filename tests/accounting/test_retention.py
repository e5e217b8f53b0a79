"""Retention (issue #18, item 6): `python -m service retention` erases a brand's conversations quiet for
longer than its `retention_days` from every table and checkpoint, keeps a brand without the setting
and the billing counts, and erases nothing younger than the limit."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from brands import BRANDS_DIR
from config.settings import Settings
from service.retention import main
from tests.utils.conversations import ACME, ALICE, BOB, GLOBEX, new_conversation, say
from tests.utils.sandbox import Sandbox
from tests.utils.scan import hits, scan

ACMES, GLOBEXS = "acme-old-text-5b1e", "globex-kept-text-9c7d"


def brands_keeping_acme_for(days: int, directory: Path) -> Path:
    directory.mkdir()
    for source in BRANDS_DIR.glob("*.yaml"):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        if data["brand_id"] == "acme":
            data["retention_days"] = days
        (directory / source.name).write_text(yaml.safe_dump(data), encoding="utf-8")
    return directory


def retention(settings: Settings, now: datetime, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    assert main(["retention", "--now", now.isoformat()], settings) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def report(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    body = client.get("/v1/reports/automation", headers=headers).json()
    body["unanswered_handoffs"].pop("oldest_age_seconds")
    return body


def test_that_retention_erases_only_conversations_older_than_the_brands_retention_days(
    database_url: str | None, tmp_path: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    del sandbox  # the servers the turns call
    brands = brands_keeping_acme_for(30, tmp_path / "brands")
    settings = Settings(env="dev", database_url=database_url, data_dir=tmp_path / "data", brands_dir=brands)
    acme, globex = new_conversation(), new_conversation()
    with TestClient(create_app(settings)) as client:
        say(client, acme, f"where is my order 1001? ({ACMES})", customer=ALICE)
        say(client, globex, f"where is my order 2001? ({GLOBEXS})", headers=GLOBEX, customer=BOB)
        reports = report(client, ACME), report(client, GLOBEX)
    now = datetime.now(UTC)
    before = scan(settings, [ACMES, GLOBEXS])

    assert retention(settings, now + timedelta(days=29), capsys) == [
        {"brand_id": "acme", "conversations": 0, "messages": 0, "turns": 0, "events": 0, "owners": 0,
         "runs": 0, "writes": 0, "checkpoints": 0, "tracking_numbers": 0}
    ]  # fmt: skip
    assert scan(settings, [ACMES, GLOBEXS]) == before
    (erased,) = retention(settings, now + timedelta(days=31), capsys)
    after = scan(settings, [ACMES, GLOBEXS])
    print(f"\nretention after 31 days: {erased}\nhits before: {hits(before)}\nhits after: {hits(after)}")

    assert erased["brand_id"] == "acme" and erased["conversations"] == 1 and erased["messages"] == 2
    assert sum(c[ACMES] for c in before.values()) > 0
    assert sum(c[ACMES] for c in after.values()) == 0
    assert {t: c[GLOBEXS] for t, c in after.items()} == {t: c[GLOBEXS] for t, c in before.items()}
    with TestClient(create_app(settings)) as client:
        assert client.get(f"/v1/conversations/{acme}", headers=ACME).status_code == 404
        assert client.get(f"/v1/conversations/{globex}", headers=GLOBEX).status_code == 200
        assert (report(client, ACME), report(client, GLOBEX)) == reports
