"""The router's labelled data: where it lives, how its intents map to router labels, how it splits.

Sources, read in place (never copied into the project):
- Bitext sample customer-service dataset, 27 intents (CDLA-Sharing-1.0, attributed to Bitext), under
  `../shared/data/bitext-customer-service/` relative to the repository root;
- our own examples: `routing/data/extra_examples.jsonl` for turns that carry no ask at all
  (`none`) and other asks, and each workflow's `router_examples.jsonl` for the asks Bitext
  lacks (cancelling a subscription, returning an item) or words differently.

Every example is either training, dev (tuning) or eval (held back for `bench.routing_eval`), by
a hash of its normalised text, so the split is deterministic and a duplicate never crosses it.
Training reads only the first two; nothing here is random without a fixed seed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from routing.classifier import NONE

REPO_ROOT = Path(__file__).resolve().parent.parent
BITEXT_CSV = REPO_ROOT.parent / "shared/data/bitext-customer-service/bitext_customer_service_27intents.csv"
EXTRA_EXAMPLES = Path(__file__).resolve().parent / "data" / "extra_examples.jsonl"
NATURAL_EXAMPLES = Path(__file__).resolve().parent / "data" / "natural_examples.jsonl"
"""Our examples in customers' own words (typos, indirect asks, ids), labelled with fine asks: all
training, never split (the natural dev and eval sets under `evals/routing/` measure them)."""
NATURAL_DEV = REPO_ROOT / "evals" / "routing" / "dev.jsonl"
"""The natural dev set: tuned on, never trained on (the held-out eval set beside it is never read here)."""
NATURAL_DEV_B = REPO_ROOT / "evals" / "routing" / "dev_b.jsonl"
"""The second natural dev set, by another writer (the eval set v1, retired into tuning after two runs):
tuned on, never trained on."""
NATURAL_DEVS = (NATURAL_DEV, NATURAL_DEV_B)

Labelling = Callable[[str], str]
"""Which router label a source intent (a fine class) is: the workflow registry's
(`workflows.registry.Registry.label_of`); `none` is `none`, an intent no workflow takes is `other`."""

Split = Literal["train", "dev", "eval"]


@dataclass(frozen=True)
class Example:
    text: str
    source: str
    """The intent as the source labels it (a Bitext intent, or ours)."""
    label: str
    """Its router label (a workflow's name, `other` or `none`)."""

    @property
    def split(self) -> Split:
        return split_of(self.text)


def split_of(text: str) -> Split:
    """20 % eval, 10 % dev, 70 % train, by a hash of the text with case and punctuation removed."""
    key = " ".join(re.findall(r"[^\W_]+", text.casefold()))
    bucket = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 10
    return "eval" if bucket < 2 else "dev" if bucket == 2 else "train"


def load_examples(
    label_of: Labelling, workflow_examples: Sequence[Path] = (), bitext: Path = BITEXT_CSV
) -> list[Example]:
    """Every labelled example, in file order: Bitext, ours (`EXTRA_EXAMPLES`), then each file of
    `workflow_examples`; each labelled by `label_of` (our own examples carry a fine class too: a
    workflow's name, or a Bitext intent)."""
    examples: list[Example] = []
    with bitext.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            examples.append(Example(row["utterance"].strip(), row["intent"], label_of(row["intent"])))
    for path in (EXTRA_EXAMPLES, *workflow_examples):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                examples.append(Example(item["text"].strip(), item["intent"], label_of(item["intent"])))
    return examples


def load_natural(label_of: Labelling, path: Path = NATURAL_EXAMPLES) -> list[Example]:
    """Our natural training examples, each labelled by `label_of`."""
    out: list[Example] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            out.append(Example(item["text"].strip(), item["intent"], label_of(item["intent"])))
    return out


def natural_dev(label_of: Labelling, path: Path = NATURAL_DEV) -> list[tuple[str, tuple[str, ...]]]:
    """The English messages of the natural dev set with their router labels (the language
    handoff is not the classifier's to learn)."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row.get("lang", "en") == "en":
                out.append((row["text"], tuple(dict.fromkeys(label_of(a) for a in row["asks"]))))
    return out


def in_split(examples: Iterable[Example], *splits: Split) -> list[Example]:
    return [e for e in examples if e.split in splits]


# How people join two asks: connectors, and a second sentence.
CONNECTOR_JOINS: tuple[str, ...] = ("and also", "Also,", "newline", "btw", "oh and", "sentence")
# Bare joins, the way people really type: lower-cased, no punctuation.
BARE_JOINS: tuple[str, ...] = (" and ", ", ", " ")


def bare(text: str) -> str:
    """Lower-cased, punctuation removed, single-spaced."""
    return " ".join(re.findall(r"[^\W_]+(?:'[^\W_]+)?", text.lower()))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in (".", "!", "?") else f"{text}."


def _capital(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:]


def join_connected(first: str, second: str, joiner: str) -> tuple[str, int]:
    """Join two asks with a connector, as a person writing sentences would.

    Returns the text and where the second ask starts in it (after the connector).
    """
    head = first.strip()
    open_head = head.rstrip(".!?")
    tail = second.strip()
    if joiner == "and also":
        prefix = f"{open_head}, and also "
    elif joiner == "Also,":
        prefix = f"{_sentence(head)} Also, "
    elif joiner == "newline":
        prefix, tail = f"{head}\n", _capital(tail)
    elif joiner == "btw":
        prefix = f"{open_head} btw "
    elif joiner == "oh and":
        prefix = f"{open_head}, oh and "
    else:
        prefix, tail = f"{_sentence(head)} ", _capital(tail)
    return prefix + tail, len(prefix)


def join_bare(first: str, second: str, joiner: str) -> tuple[str, int]:
    prefix = f"{bare(first)}{joiner}"
    return prefix + bare(second), len(prefix)


@dataclass(frozen=True)
class Composed:
    text: str
    labels: tuple[str, ...]
    """The router labels asked, in order (`none` parts excluded)."""


def compose_pairs(
    examples: Sequence[Example], count: int, joins: Sequence[str], *, is_bare: bool, seed: int
) -> list[Composed]:
    """`count` two-ask messages from pairs of examples with different router labels (none excluded)."""
    pool = [e for e in examples if e.label != NONE]
    rnd = random.Random(seed)
    out: list[Composed] = []
    while len(out) < count:
        a, b = rnd.choice(pool), rnd.choice(pool)
        if a.label == b.label:
            continue
        joiner = joins[len(out) % len(joins)]
        text, _ = join_bare(a.text, b.text, joiner) if is_bare else join_connected(a.text, b.text, joiner)
        out.append(Composed(text, (a.label, b.label)))
    return out
