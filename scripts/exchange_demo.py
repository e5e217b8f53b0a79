"""`make demo`'s exchange part: a second service, on the demo's sandbox, whose registry has
`exchange_item`.

The trained router has no exchange class yet (exchange asks read as `returns_refunds`; the
workflow's `router_examples.jsonl` waits for `python -m workflows train-router`), so, as a deployment
could until then, this registry lets `exchange_item` claim Bitext's `change_order` ("change an item
in my order"), which the router tells apart today. Usage: `python scripts/exchange_demo.py DATA_DIR
PORT` with the demo's `DATA_DIR` (its `sandbox.json`); serves on loopback until stopped.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
from pathlib import Path

import uvicorn

from api.app import create_app
from brands import BRANDS_DIR
from config.settings import Settings
from workflows import exchange_item
from workflows.registry import REGISTRY
from workflows.spec import RouterSpec

EXCHANGE = dataclasses.replace(
    exchange_item.WORKFLOW,
    router=RouterSpec(description=exchange_item.WORKFLOW.router.description, classes=("change_order",)),
)


def main(data_dir: Path, port: int) -> None:
    here = data_dir / "exchange"
    brands = here / "brands"
    brands.mkdir(parents=True, exist_ok=True)
    shutil.copy(data_dir / "sandbox.json", here / "sandbox.json")
    for path in BRANDS_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.stem == "acme":
            text = text.replace("cancel_order, handoff]", "cancel_order, exchange_item, handoff]")
        (brands / path.name).write_text(text, encoding="utf-8")
    settings = Settings(env="dev", data_dir=here, brands_dir=brands)
    app = create_app(settings, REGISTRY.with_workflows(EXCHANGE))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
