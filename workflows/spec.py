"""What a workflow declares about itself: one `Workflow` per package, listed in the registry.

Everything that differs between workflows is here; the subgraph (`workflows.kit.subgraph`), the
router, brand validation and the main graph read it. A workflow's name is written only in its
own package (this declaration) and in the registry's list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langgraph.graph.state import CompiledStateGraph
from pydantic import BaseModel

from brands import BrandConfig
from tools.spec import ToolSpec
from workflows.kit.policy import Decide, Policy
from workflows.kit.subgraph import build_subgraph


@dataclass(frozen=True)
class RouterSpec:
    """How the router finds this workflow's asks."""

    description: str
    """One line for the model's routing prompt: what asks this workflow takes."""
    classes: tuple[str, ...]
    """The trained router's fine classes (source intents: Bitext's, and this package's own
    examples' label) that are asks for this workflow; a class belongs to one workflow at most."""
    examples: Path | None = None
    """This workflow's own labelled examples (`{"text", "intent"}` per line), trained on by
    `python -m workflows train-router` and checked to route here by the registry check."""


@dataclass(frozen=True)
class Params:
    """The workflow's per-brand parameters: a section of the brand file and its model."""

    section: str
    """The brand-file key (`returns`, `subscriptions`), or `workflows.<name>`: the workflow's own
    section of the brand's `workflows` mapping, validated by `model` when the service starts
    (`Registry.check_brand`)."""
    model: type[BaseModel]

    def json_schema(self) -> dict[str, Any]:
        return self.model.model_json_schema()


@dataclass(frozen=True)
class Workflow:
    name: str
    router: RouterSpec
    instructions: str = ""
    tools: tuple[ToolSpec, ...] = ()
    decide: Decide | None = None
    """How a workflow without a policy decides its status from its transcript."""
    policy: Policy[Any] | None = None
    """When set, its step runs first, its guard sees every tool call, and it decides."""
    params: Params | None = None
    max_model_calls: int = 4
    build: Callable[[Workflow], CompiledStateGraph] | None = None
    """A workflow that is not model-driven (handoff) builds its own subgraph."""
    graph: CompiledStateGraph = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.build is None and (self.decide is None) == (self.policy is None):
            raise ValueError(f"workflow {self.name!r} needs exactly one of `decide` and `policy`")
        graph = self.build(self) if self.build is not None else build_subgraph(self)
        object.__setattr__(self, "graph", graph)

    def params_for(self, brand: BrandConfig) -> BaseModel | None:
        """This workflow's parameters for `brand` from `workflows.<name>`, validated by its schema;
        None when the workflow keeps none there. Raises `pydantic.ValidationError` on a bad section
        (which `Registry.check_brand` refuses at start)."""
        if self.params is None or self.params.section != f"workflows.{self.name}":
            return None
        return self.params.model.model_validate(brand.workflow_section(self.name) or {})

    @property
    def writes(self) -> tuple[str, ...]:
        """The tools of this workflow that write to an outside system."""
        return tuple(t.name for t in self.tools if t.writes)
