"""Service settings (prefix `SUPPORT_`; `DATABASE_URL` and `DATA_DIR` are read as is).

Endpoints of external systems live in `tools.endpoints`; this holds what the HTTP service owns.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SUPPORT_", extra="ignore")

    env: Literal["dev", "test", "prod"] = "dev"
    """`dev` accepts the demo brands' dev keys; elsewhere only hashed keys from brand files."""
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "SUPPORT_DATABASE_URL")
    )
    data_dir: Path = Field(default=Path("var"), validation_alias=AliasChoices("DATA_DIR", "SUPPORT_DATA_DIR"))
    brands_dir: Path | None = None
    max_body_bytes: int = 64_000

    @property
    def is_dev(self) -> bool:
        return self.env == "dev"


@cache
def get_settings() -> Settings:
    return Settings()
