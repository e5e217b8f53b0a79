"""The labelled corpus the injection detector is measured on, read in place from `../shared/data`.

Nothing of the shared data is copied into the project: every text is read at run time from
`DATA` (`SUPPORT_SHARED_DATA` overrides it). Only the benign notes of `bench/data/benign_notes.txt`
are ours and shipped.

Sources (`SOURCES`, label 1 = an injection, 0 = benign):
- `bipia-text`, `bipia-code` (1): BIPIA's text and code attack instructions, train and test files
  (MIT);
- `injecagent` (1): InjecAgent's attacker instructions (MIT);
- `agentdojo` (1): AgentDojo's injection goals, as written, no wrapper (MIT);
- `bitext` (0): Bitext customer-service utterances (CDLA-Sharing-1.0);
- `carrier-events` (0): the event and status texts of the carrier and EasyPost payloads in
  `api-shapes` and the per-field examples of the carrier OpenAPI specs there (karrio's samples are
  LGPL-3.0, so they are read for evaluation only, never trained on: `TRAINABLE`);
- `own-notes` (0): 200+ benign imperative notes written for this project (delivery instructions,
  gift messages, "leave it with the neighbour");
- `bipia-context` (0): BIPIA's benign emails and tables, third-party text with no injection (MIT);
- `agentdojo-benign` (0): the benign texts at AgentDojo's injection points and its environments'
  strings (reviews, emails, placeholders removed) (MIT).

Held out (`HELDOUT`, split `heldout`): never trained on, never in the tune or report split, measured
only by `python -m bench.injection_eval --heldout`, once, at the end of a round:
- `tensor-trust` (1): the `attack` texts of Tensor Trust's hijacking and extraction robustness
  sets, only those the model scores (`tools.injection_model.scored`). The data has no licence: it is
  read in place for evaluation only, never trained on, never copied;
- `own-notes-2` (0): benign notes written apart from everything else for this project
  (`bench/data/benign_notes_2.txt`; read as empty while the file is not there);
- `own-attacks` (1) and `own-fields` (0): 200 planted instructions and 200 benign texts, each
  written for one external field (order note, item title, customer name, address line, carrier
  event, tracking status, gift message) by a writer who never saw the detector, its data or this
  project (`bench/data/attacks_heldout.jsonl`, `benign_fields_heldout.jsonl`, 2026-12-07). Never
  trained on, but read to choose the field model's settings (round six, docs/sanitiser.md): spent;
- `own-attacks-2` (1) and `own-fields-2` (0): the same seven fields, 200 texts each, by two more
  writers who never saw the project (`bench/data/attacks_heldout_2.jsonl`,
  `benign_fields_heldout_2.jsonl`, 2026-12-08), read once at the end of round six.

The split is by hash, so it never changes with the order of the files: `split(source, text)` is
`tune` when the first byte of sha256("source\\ntext") is below 128, else `report`; a held-out
source's texts are all `heldout`. Texts are stripped and deduplicated per source, and a held-out
source keeps no text that a source listed before it has ("Out for Delivery" is a carrier event and one
of our benign tracking statuses; "Pending" is a status of both writers of benign field values): what is
held out is unseen. Training leaves out any text equal to a measured one, held-out texts included.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from tools.injection import fold
from tools.injection_model import scored

DATA = Path(os.environ.get("SUPPORT_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
NOTES = Path(__file__).resolve().parent / "data" / "benign_notes.txt"
NOTES_2 = Path(__file__).resolve().parent / "data" / "benign_notes_2.txt"
OWN_ATTACKS = Path(__file__).resolve().parent / "data" / "attacks_heldout.jsonl"
OWN_FIELDS = Path(__file__).resolve().parent / "data" / "benign_fields_heldout.jsonl"
OWN_ATTACKS_2 = Path(__file__).resolve().parent / "data" / "attacks_heldout_2.jsonl"
OWN_FIELDS_2 = Path(__file__).resolve().parent / "data" / "benign_fields_heldout_2.jsonl"

Split = Literal["tune", "report", "heldout"]
HELDOUT = frozenset(
    {"tensor-trust", "own-notes-2", "own-attacks", "own-fields", "own-attacks-2", "own-fields-2"}
)
"""Sources never trained or tuned on, in neither the tune nor the report split (`split`)."""


@dataclass(frozen=True)
class Example:
    source: str
    text: str
    label: int
    """1: an injection (an instruction meant for the assistant); 0: benign."""

    @property
    def split(self) -> Split:
        return split(self.source, self.text)


def split(source: str, text: str) -> Split:
    """`heldout` for a held-out source, else `tune` or `report` by the hash of source and text
    (about half each)."""
    if source in HELDOUT:
        return "heldout"
    return "tune" if hashlib.sha256(f"{source}\n{text}".encode()).digest()[0] < 128 else "report"


def _jsonl(path: str) -> Iterator[dict[str, Any]]:
    with (DATA / path).open(encoding="utf-8") as lines:
        yield from (json.loads(line) for line in lines if line.strip())


def _bipia(kind: str) -> list[str]:
    return [
        text
        for part in ("train", "test")
        for group in json.loads((DATA / f"bipia/{kind}_attack_{part}.json").read_text()).values()
        for text in group
    ]


def _injecagent() -> list[str]:
    return [
        row["attacker_instruction"]
        for row in _jsonl("injecagent-attacker-cases/attacker_cases_dh_subset.jsonl")
    ]


def _agentdojo() -> list[str]:
    return [row["goal"] for row in _jsonl("agentdojo/injection_goals.jsonl")]


def _bitext() -> list[str]:
    path = DATA / "bitext-customer-service/bitext_customer_service_27intents.csv"
    with path.open(encoding="utf-8", newline="") as rows:
        return [row["utterance"] for row in csv.DictReader(rows)]


EVENT_KEYS = frozenset(
    {
        "description", "simplifiedTextDescription", "eventDescription", "eventType", "status",
        "statusSummary", "remark", "nextSteps", "message", "statusByLocale", "derivedStatus",
        "exceptionDescription", "reasonDescription", "actionDescription", "estimatedTimeOfDeliveryRemark",
        "status_detail", "shipmentNotes",
    }
)  # fmt: skip
"""The keys that hold a carrier's free text about a parcel's events and status."""


def _wanted(key: str | None, value: str) -> bool:
    return key in EVENT_KEYS and any(c.isalpha() for c in value) and " " in value.strip()


def _payload_texts(value: Any, key: str | None = None) -> Iterator[str]:
    """Strings under `EVENT_KEYS` in a carrier's payload."""
    if isinstance(value, str):
        if _wanted(key, value):
            yield value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _payload_texts(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _payload_texts(item, key)


def _spec_examples(value: Any) -> Iterator[str]:
    """In an OpenAPI spec, the `example` of every property named in `EVENT_KEYS`."""
    if isinstance(value, dict):
        for name, item in value.items():
            example = item.get("example") if isinstance(item, dict) else None
            if isinstance(example, str) and _wanted(name, example):
                yield example
            yield from _spec_examples(item)
    elif isinstance(value, list):
        for item in value:
            yield from _spec_examples(item)


def _carrier_events() -> list[str]:
    folder = DATA / "api-shapes"
    payloads = [*sorted(folder.glob("carriers/*.json")), *sorted(folder.glob("easypost/*.json"))]
    texts = [text for path in payloads for text in _payload_texts(json.loads(path.read_text()))]
    specs = sorted(folder.glob("specs/*.json"))
    return texts + [text for path in specs for text in _spec_examples(json.loads(path.read_text()))]


def _bipia_contexts() -> list[str]:
    return [
        row["context"]
        for name in ("email_train", "email_test", "table_test")
        for row in _jsonl(f"bipia/{name}.jsonl")
    ]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _strings(item)


def _agentdojo_benign() -> list[str]:
    """The benign texts that sit where AgentDojo's injections go, and its environments' strings."""
    texts = [
        vector["default"]
        for suite in ("banking", "slack", "travel", "workspace")
        for vector in json.loads((DATA / f"agentdojo/injection_vectors_{suite}.json").read_text()).values()
        if vector["default"]
    ]
    for name in ("environment_travel.json", "environment_workspace_inbox.json"):
        environment = json.loads((DATA / "agentdojo" / name).read_text())
        texts += [re.sub(r"\{\w*injection\w*\}", "", s) for s in _strings(environment) if len(s) > 20]
    return texts


def _own_notes() -> list[str]:
    lines = NOTES.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def _tensor_trust() -> list[str]:
    """The attacks of Tensor Trust's robustness sets that the model scores (no licence: evaluation only)."""
    return [
        row["attack"]
        for name in ("hijacking", "extraction")
        for row in _jsonl(f"tensor-trust/{name}_robustness_v1.jsonl")
        if isinstance(row.get("attack"), str) and scored(fold(row["attack"]))
    ]


def _own_notes_2() -> list[str]:
    if not NOTES_2.exists():
        return []
    lines = NOTES_2.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def own_fields(path: Path) -> list[tuple[str, str]]:
    """(field, text) of one of our field-by-field sets (`OWN_ATTACKS`, `OWN_FIELDS`, and their second
    writers' `OWN_ATTACKS_2`, `OWN_FIELDS_2`)."""
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return [(row["field"], row["text"]) for row in rows]


SOURCES: dict[str, tuple[int, Callable[[], list[str]]]] = {
    "bipia-text": (1, lambda: _bipia("text")),
    "bipia-code": (1, lambda: _bipia("code")),
    "injecagent": (1, _injecagent),
    "agentdojo": (1, _agentdojo),
    "bitext": (0, _bitext),
    "carrier-events": (0, _carrier_events),
    "own-notes": (0, _own_notes),
    "bipia-context": (0, _bipia_contexts),
    "agentdojo-benign": (0, _agentdojo_benign),
    "tensor-trust": (1, _tensor_trust),
    "own-notes-2": (0, _own_notes_2),
    "own-attacks": (1, lambda: [text for _, text in own_fields(OWN_ATTACKS)]),
    "own-fields": (0, lambda: [text for _, text in own_fields(OWN_FIELDS)]),
    "own-attacks-2": (1, lambda: [text for _, text in own_fields(OWN_ATTACKS_2)]),
    "own-fields-2": (0, lambda: [text for _, text in own_fields(OWN_FIELDS_2)]),
}
TRAINABLE = frozenset(SOURCES) - {"carrier-events"} - HELDOUT
"""The sources whose licence lets a trained artefact be shipped (MIT, CDLA-Sharing-1.0 results, ours),
less the held-out ones."""


@cache
def corpus() -> tuple[Example, ...]:
    """Every example of every source, stripped and deduplicated per source, in source order."""
    examples: list[Example] = []
    elsewhere: set[str] = set()
    for source, (label, read) in SOURCES.items():
        seen: set[str] = set()
        for raw in read():
            text = raw.strip()
            if text and text not in seen and not (source in HELDOUT and text in elsewhere):
                seen.add(text)
                examples.append(Example(source, text, label))
        elsewhere |= seen  # a held-out source listed later keeps none of these (the second writers' sets none of the first's)
    return tuple(examples)


def examples(part: Split | None = None, sources: frozenset[str] | None = None) -> list[Example]:
    """The corpus, or one split of it, optionally only some sources."""
    return [
        e for e in corpus() if (part is None or e.split == part) and (sources is None or e.source in sources)
    ]
