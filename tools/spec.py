"""What a tool is to the graph: a name, an argument schema the model sees, and an async body.

The body gets the validated arguments and the run's `BrandContext`; brand and customer never
come from the model's arguments. It returns the text for the model, or a `ToolResult` that also
carries metadata for the state. `as_openai_tool` keeps JSON-schema details (`pattern`) that
help any model fill the arguments.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from brands.context import BrandContext


@dataclass(frozen=True)
class ToolResult:
    """A tool's answer split in two: `text` for the model, `artifact` for the run's state only.

    The artifact (plain JSON data, e.g. the costed carrier lookups) rides on the `ToolMessage` and
    is never sent to a model.
    """

    text: str
    artifact: dict[str, Any]


ToolBody = Callable[[Any, BrandContext], Awaitable[str | ToolResult]]


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    args_schema: type[BaseModel]
    body: ToolBody
    writes: bool = False

    def as_openai_tool(self) -> dict[str, Any]:
        schema = self.args_schema.model_json_schema()
        schema.pop("title", None)
        for prop in schema.get("properties", {}).values():
            prop.pop("title", None)
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": schema},
        }
