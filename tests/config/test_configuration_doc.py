"""docs/configuration.md names every setting `Settings` reads, by the variable that sets it."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices

from config.settings import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def variables(name: str) -> list[str]:
    field = Settings.model_fields[name]
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        return [str(choice) for choice in alias.choices]
    if isinstance(alias, str):
        return [alias]
    return [f"SUPPORT_{name.upper()}"]


def test_that_the_configuration_reference_names_every_setting() -> None:
    text = DOC.read_text()
    missing = [v for name in Settings.model_fields for v in variables(name) if f"`{v}`" not in text]
    assert missing == []
