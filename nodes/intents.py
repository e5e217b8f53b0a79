"""The deterministic intent finder: patterns and entities for every intent we route.

First version: keyword patterns with positions, so one message can carry several intents. The
routing issue replaces the scorer with a classifier trained on labelled data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.state import Intent

ENTITY_PATTERNS: dict[str, re.Pattern[str]] = {
    "order_number": re.compile(r"(?:order|#)\s*(?:number|no\.?)?\s*#?\s*(\d{4,10})\b", re.I),
    "subscription_id": re.compile(r"\b(sub_[A-Za-z0-9]+)\b"),
    "email": re.compile(r"\b([\w.+-]+@[\w-]+\.[\w.-]+)\b"),
}


@dataclass(frozen=True)
class IntentRule:
    name: str
    pattern: re.Pattern[str]
    entity: str | None


RULES: tuple[IntentRule, ...] = (
    IntentRule(
        "cancel_subscription",
        re.compile(
            r"\b(cancel|stop|end|unsubscribe)\b[^.?!]{0,40}\b(subscription|membership|plan|sub_\w+)|\bunsubscribe\b",
            re.I,
        ),
        "subscription_id",
    ),
    IntentRule(
        "order_status",
        re.compile(
            r"\b(where(?:'s| is)|track|tracking|status of|arriv\w*|deliver\w*|shipped|package|parcel)\b", re.I
        ),
        "order_number",
    ),
    IntentRule("returns_refunds", re.compile(r"\b(return|refund|money back)\b", re.I), "order_number"),
    IntentRule(
        "address_change",
        re.compile(r"\b(change|update|wrong)\b[^.?!]{0,30}\baddress\b", re.I),
        "order_number",
    ),
    IntentRule(
        "handoff", re.compile(r"\b(human|real person|agent|representative|speak to someone)\b", re.I), None
    ),
)


def _entity_near(text: str, entity: str, start: int) -> str | None:
    matches = list(ENTITY_PATTERNS[entity].finditer(text))
    if not matches:
        return None
    after = [m for m in matches if m.start() >= start]
    return (after or matches)[0].group(1)


def find_intents(text: str) -> list[Intent]:
    """Every intent in `text`, in the order the customer asked them."""
    found: list[Intent] = []
    for rule in RULES:
        match = rule.pattern.search(text)
        if not match:
            continue
        entities: dict[str, str] = {}
        value = _entity_near(text, rule.entity, match.start()) if rule.entity else None
        if rule.entity and value:
            entities[rule.entity] = value
        confidence = 0.9 if value or not rule.entity else 0.7
        found.append(Intent(name=rule.name, confidence=confidence, entities=entities, position=match.start()))
    return sorted(found, key=lambda i: i["position"])
