"""The one `Settings` object: where `make run` listens, and variables it must not take for its own."""

from __future__ import annotations

import pytest

from config.settings import Settings


def test_that_host_and_port_come_from_host_and_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "8099")
    assert (Settings().host, Settings().port) == ("0.0.0.0", 8099)


def test_that_a_kubernetes_service_named_support_does_not_break_the_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Kubernetes sets <SERVICE>_PORT=tcp://ip:port and <SERVICE>_SERVICE_HOST for every Service.
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.setenv("SUPPORT_PORT", "tcp://10.0.0.1:80")
    monkeypatch.setenv("SUPPORT_SERVICE_HOST", "10.0.0.1")
    monkeypatch.setenv("SUPPORT_HOST", "10.0.0.1")
    assert (Settings().host, Settings().port) == ("127.0.0.1", 8000)
