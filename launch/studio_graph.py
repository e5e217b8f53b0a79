"""The graph as `langgraph.json` declares it: compiled without a checkpointer, because the
LangGraph server (`langgraph dev`, LangGraph Platform) supplies its own persistence.

The server builds each run's context from the JSON a caller sends (brand and customer), as a
`ServerContext`: the brand is looked up among the brands the settings serve (`SUPPORT_BRANDS_DIR`,
else `brands/`), loaded once here at import. So a bad brand file stops the server at start, an
unknown `brand_id` fails the run before any node, and no run reads files on the server's event loop.
"""

from __future__ import annotations

from dataclasses import dataclass

from brands import BRANDS_DIR
from brands.context import BrandContext, brand_named
from config.settings import get_settings
from graph.builder import compile_graph

BRANDS_FOLDER = get_settings().brands_dir or BRANDS_DIR
BRANDS = get_settings().brands()


@dataclass(frozen=True)
class ServerContext(BrandContext):
    """A run's context on the LangGraph server: its brand is one of the brands this server serves."""

    def __post_init__(self) -> None:
        if self.config is None:
            object.__setattr__(self, "config", brand_named(self.brand_id, BRANDS, BRANDS_FOLDER))
        super().__post_init__()


graph = compile_graph()
graph.context_schema = ServerContext  # the type the server builds from each run's JSON context
