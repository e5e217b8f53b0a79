"""`invoices`: a small workflow of the tests' own, added the way docs/workflows.md says.

A package (instructions, one tool, a decision, router examples) and one registry line
(`REGISTRY.with_workflows(WORKFLOW)`). It takes the asks the trained router already tells apart as
Bitext's `get_invoice` and `check_invoice` (until now `other`, handed to a person), so it needs no
retraining: the registry, not the artefact, says which workflow a fine class is an ask for.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from langchain_core.messages import AnyMessage

from tests.workflows.invoices.tools import GET_INVOICE
from workflows.kit.lookup import standard_outcome
from workflows.kit.policy import Outcome
from workflows.spec import RouterSpec, Workflow

INSTRUCTIONS = """You are the invoices workflow of a customer-support team.
- Look the invoice up with get_invoice before saying anything about it.
- If you do not have an order number, ask the customer for it."""


def decide(transcript: Sequence[AnyMessage]) -> Outcome:
    return standard_outcome(transcript, GET_INVOICE.name, "resolved")


WORKFLOW = Workflow(
    name="invoices",
    instructions=INSTRUCTIONS,
    tools=(GET_INVOICE,),
    decide=decide,
    router=RouterSpec(
        description="a copy of an invoice or receipt, what an invoice says",
        classes=("get_invoice", "check_invoice"),
        examples=Path(__file__).with_name("router_examples.jsonl"),
    ),
)
