"""The model factory: one `ChatOpenAI` per endpoint and event loop, built from settings.

Any OpenAI-compatible endpoint works (OpenAI, vLLM, Ollama, LiteLLM); with none configured the
sandbox model from `$DATA_DIR/sandbox.json` answers. The model's HTTP client comes from
`tools.http`, so it belongs to the running event loop and the app lifespan closes it.
"""

from __future__ import annotations

import asyncio

from langchain_openai import ChatOpenAI

from tools.endpoints import get_endpoints
from tools.http import get_client

_models: dict[tuple[object, ...], ChatOpenAI] = {}


def get_chat_model() -> ChatOpenAI:
    ep = get_endpoints()
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
        model = ChatOpenAI(
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
