"""What a tool is to the graph: a name, an argument schema the model sees, and an async body.

The body gets the validated arguments and the run's `BrandContext`; brand and customer never
come from the model's arguments. It returns the text for the model, or a `ToolResult` that also
carries metadata for the state. `as_openai_tool` keeps JSON-schema details (`pattern`) that
help any model fill the arguments.

A tool that writes to an outside system (`writes=True`) also says what a call of it writes
(`written`: its kind, its target, the amount where there is one), read from the call's arguments
and, when it succeeded, its result's artifact: the conversation's run history records every write
the AI made that way (`service/history.py`). A write tool without it cannot be declared.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from brands import BrandConfig
from brands.context import BrandContext
from tools.third_party import Untrusted


@dataclass(frozen=True)
class ToolResult:
    """A tool's answer split in two: `text` for the model, `artifact` for the run's state only.

    The artifact (plain JSON data, e.g. the costed carrier lookups) rides on the `ToolMessage` and
    is never sent to a model.
    """

    text: str
    artifact: dict[str, Any]
    untrusted: Sequence[Untrusted] = ()
    """The third-party free texts `text` carries (`tools.third_party`): never quoted in a reply."""


ToolBody = Callable[[Any, BrandContext], Awaitable[str | ToolResult]]

WriteKind = Literal["cancel", "refund", "address_change", "order_cancel", "exchange"]
"""What a write tool changes: a subscription cancelled, an order refunded, an order's address, an
order cancelled (with its refund), items of a delivered order exchanged."""


@dataclass(frozen=True)
class WriteTerms:
    """What one call of a write tool wrote, or tried to write."""

    kind: WriteKind
    target: str | None
    """The record written: a subscription id ("sub_501"), an order's name ("#1001"); None when a
    failed call named none."""
    amount: str | None = None
    """A decimal string ("61.00") where the write moves money: what was written when it succeeded,
    else what the call named (None when the code's own call left the amount to the guard)."""
    currency: str | None = None


WriteReader = Callable[[Mapping[str, Any], Mapping[str, Any] | None, BrandConfig], WriteTerms]
"""A write call's arguments (as the transcript holds them), its result's artifact when it succeeded
(None when it failed), the brand -> what it wrote."""


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    args_schema: type[BaseModel]
    body: ToolBody
    writes: bool = False
    written: WriteReader | None = None
    """For a write tool: what a call of it wrote (required when `writes`)."""

    def __post_init__(self) -> None:
        if self.writes and self.written is None:
            raise ValueError(f"write tool {self.name!r} must say what it writes (`written`)")

    def as_openai_tool(self) -> dict[str, Any]:
        schema = self.args_schema.model_json_schema()
        schema.pop("title", None)
        for prop in schema.get("properties", {}).values():
            prop.pop("title", None)
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": schema},
        }
