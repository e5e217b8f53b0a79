"""Brand files: a bad value stops loading with the file and the field named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from brands import BRANDS_DIR, BrandConfigError, WebhookConfig, load_brand_file


@pytest.mark.parametrize("shop", ["Initech Store", "initech/admin", "-initech", ""])
def test_that_a_shop_that_is_no_shop_handle_is_refused(tmp_path: Path, shop: str) -> None:
    data = yaml.safe_load((BRANDS_DIR / "acme.yaml").read_text(encoding="utf-8"))
    data["commerce"]["shop"] = shop
    path = tmp_path / "acme.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(BrandConfigError, match="should match pattern") as caught:
        load_brand_file(path)
    assert (caught.value.path, caught.value.field) == (path, "commerce.shop")


def write_acme_with(tmp_path: Path, **changes: object) -> Path:
    data = yaml.safe_load((BRANDS_DIR / "acme.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "acme.yaml"
    path.write_text(yaml.safe_dump({**data, **changes}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com/support",
        "http://127.0.0.1:8123/acme",
        "http://localhost/acme",
        "http://[::1]:9/a",
    ],
)
def test_that_a_webhook_url_is_https_or_http_to_a_loopback_host(tmp_path: Path, url: str) -> None:
    webhook = {"url": url, "secret_env": "ACME_WEBHOOK_SECRET"}
    config = load_brand_file(write_acme_with(tmp_path, webhook=webhook))
    assert config.webhook == WebhookConfig(url=url, secret_env="ACME_WEBHOOK_SECRET")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://hooks.example.com/support", "http only to a loopback host"),
        ("http://10.0.0.7/support", "http only to a loopback host"),
        ("https://user:secret@hooks.example.com/", "no credentials in the URL"),
        ("ftp://hooks.example.com/", "an absolute https:// URL"),
        ("hooks.example.com/support", "an absolute https:// URL"),
    ],
)
def test_that_a_webhook_url_that_could_leak_or_go_nowhere_is_refused(
    tmp_path: Path, url: str, reason: str
) -> None:
    path = write_acme_with(tmp_path, webhook={"url": url, "secret_env": "ACME_WEBHOOK_SECRET"})
    with pytest.raises(BrandConfigError, match=reason) as caught:
        load_brand_file(path)
    assert (caught.value.path, caught.value.field) == (path, "webhook.url")


def test_that_a_brand_without_a_webhook_sends_no_events() -> None:
    assert load_brand_file(BRANDS_DIR / "acme.yaml").webhook is None
