"""The LangGraph server's custom auth (`langgraph.platform.json`, for LangGraph Platform or
`langgraph up`): the API key fixes the brand, as on our own API (tier one).

- `authenticate`: `Authorization: Bearer <brand API key>` -> the brand (the same `KeyRing` as
  `api/auth.py`: hashed keys from brand files, dev keys only with `SUPPORT_ENV=dev`); anything else 401.
- every run's context gets the key's `brand_id`, whatever `brand_id` the caller sent: the brand never
  comes from a field the caller sets (`threads.create_run`).
- every thread, run, assistant and cron is stamped with the brand in its metadata and filtered by it:
  one brand never reads another's threads.
"""

from __future__ import annotations

from typing import Any

from langgraph_sdk import Auth

from api.auth import KeyRing
from config.settings import get_settings

KEYS = KeyRing(get_settings().brands(), dev=get_settings().is_dev)

auth = Auth()


def brand_of(authorization: str | None) -> str | None:
    """The brand whose key the header carries, or None."""
    scheme, _, key = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not key:
        return None
    brand = KEYS.brand_for(key.strip())
    return brand.brand_id if brand else None


@auth.authenticate
async def authenticate(authorization: str | None) -> Auth.types.MinimalUserDict:
    brand = brand_of(authorization)
    if brand is None:
        raise Auth.exceptions.HTTPException(status_code=401, detail="missing or unknown API key")
    return {"identity": f"brand:{brand}", "brand_id": brand, "permissions": []}


def _brand(ctx: Auth.types.AuthContext) -> str:
    return str(ctx.user.identity).removeprefix("brand:")


@auth.on.threads.create_run
async def brand_from_key(ctx: Auth.types.AuthContext, value: Auth.types.RunsCreate) -> dict[str, str]:
    """Set the run's `brand_id` to the key's, over whatever the caller put in `context`."""
    brand = _brand(ctx)
    kwargs: dict[str, Any] = value.get("kwargs") or {}  # type: ignore[assignment]
    context = kwargs.get("context")
    if isinstance(context, dict):
        context["brand_id"] = brand
    configurable = (kwargs.get("config") or {}).get("configurable")
    if isinstance(configurable, dict) and "brand_id" in configurable:
        configurable["brand_id"] = brand
    (value.get("metadata") or {}).update({"brand_id": brand})
    return {"brand_id": brand}


@auth.on
async def own_brand_only(ctx: Auth.types.AuthContext, value: Any) -> dict[str, str]:
    """Stamp what is created with the brand; filter what is read, searched or changed by it."""
    brand = _brand(ctx)
    if isinstance(value, dict):
        metadata = value.setdefault("metadata", {})
        if isinstance(metadata, dict):
            metadata["brand_id"] = brand
    return {"brand_id": brand}
