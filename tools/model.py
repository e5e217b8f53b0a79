"""The model factory: one `ChatOpenAI` per endpoint and event loop, built from settings.

Any OpenAI-compatible endpoint works (OpenAI, vLLM, Ollama, LiteLLM); with none configured the
sandbox model from `$DATA_DIR/sandbox.json` answers. The model's HTTP client comes from
`tools.http`, so it belongs to the running event loop and the app lifespan closes it.

The chat-completions body goes out through the SDK's `extra_body` where that is exactly the same
request (`PlainBodyChatOpenAI`): see `plain_body`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from langchain_core.language_models import LanguageModelInput
from langchain_openai import ChatOpenAI

from config.settings import get_settings
from tools.http import get_client

PLAIN_BODY_KEYS = ("messages", "tools")
"""The request fields sent through `extra_body` when they are plain JSON."""

_models: dict[tuple[object, ...], ChatOpenAI] = {}


def is_plain_json(value: object) -> bool:
    """Whether `value` is JSON data made only of dict (str keys), list, str, int, float, bool, None."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if type(value) is list:
        return all(is_plain_json(v) for v in value)
    if type(value) is dict:
        return all(isinstance(k, str) and is_plain_json(v) for k, v in value.items())
    return False


def plain_body(payload: dict[str, Any]) -> dict[str, Any]:
    """The same chat-completions request, with `messages` and `tools` passed through `extra_body`.

    The openai SDK walks every request body against its `TypedDict` types before sending it
    (`async_maybe_transform`): about 3 ms per call here, growing with the transcript. For the chat
    completions parameters that walk only drops omitted values, turns pydantic models and other
    iterables into JSON data and applies aliases and formats, which these types do not declare, so
    for plain JSON data it changes nothing. `extra_body` is the SDK's documented way to send body
    fields as given, and it takes precedence over the named arguments; an empty list holds each
    field's place among the named ones, so the body keeps its key order. The serialised body is
    the same, byte for byte (`tests/tools/test_model_body.py`).

    Anything that is not plain JSON goes the SDK's own way, unchanged.
    """
    moved = {
        key: payload[key]
        for key in PLAIN_BODY_KEYS
        if isinstance(payload.get(key), list) and is_plain_json(payload[key])
    }
    if not moved:
        return payload
    given = payload.get("extra_body")
    if given is not None and not isinstance(given, Mapping):
        return payload
    placeholders = {key: [] for key in moved}
    return {**payload, **placeholders, "extra_body": {**moved, **(given or {})}}


class PlainBodyChatOpenAI(ChatOpenAI):
    """`ChatOpenAI` whose chat-completions requests send plain-JSON fields through `extra_body`.

    Structured output (`response_format`, the SDK's `parse`) and the Responses API keep their own
    paths untouched.
    """

    def _get_request_payload(
        self, input_: LanguageModelInput, *, stop: list[str] | None = None, **kwargs: Any
    ) -> dict:
        payload = super()._get_request_payload(input_, stop=stop, **kwargs)
        if "response_format" in payload or self._use_responses_api(payload):
            return payload
        return plain_body(payload)


def get_chat_model() -> ChatOpenAI:
    ep = get_settings()
    client = get_client("model")
    key = (
        ep.model_url(),
        ep.model_name,
        ep.model_timeout_s,
        ep.model_max_retries,
        id(asyncio.get_running_loop()),
        id(client),
    )
    model = _models.get(key)
    if model is None:
        model = PlainBodyChatOpenAI(
            base_url=ep.model_url(),
            api_key=ep.model_api_key,
            model=ep.model_name,
            timeout=ep.model_timeout_s,
            max_retries=ep.model_max_retries,
            temperature=0,
            http_async_client=client,
        )
        _models.clear()  # one live model per process is enough; stale loops must not be reused
        _models[key] = model
    return model
