"""Messages written for the router's training, labelled piece by piece (`routing/data/written/`).

Each line of a file is one customer message cut into the pieces its writer labelled:
`{"segments": [[text, fine label or "none"], ...], "tags": [...]}`; the pieces' texts joined with
nothing between them are the whole message. All of it is training, never split (like the natural
examples); the natural dev sets measure it. From each message the label model learns:
- every labelled piece as an example of its fine label (`none`: text that asks nothing);
- the whole message, context included, as an example of its ask when it asks one thing, and as
  `none` when it asks nothing;
and the cut model learns the real joins of a message that asks several things (`Joins`).

Nothing written equals a natural dev message (both sets, after `key`): such a message, or piece, is
left out here, so the dev sets stay apart from training (a test holds it).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from routing.classifier import NONE
from routing.corpus import NATURAL_DEVS, Example, Labelling, bare

WRITTEN = Path(__file__).resolve().parent / "data" / "written"
WRITTEN_LATER = Path(__file__).resolve().parent / "data" / "written_later"
"""The later batches (`T4.jsonl`...), trained on only at the sample weight `routing.train` gives each file."""


@dataclass(frozen=True)
class Written:
    pieces: tuple[tuple[str, str], ...]
    """(text, fine label or `none`), in order; their texts joined are the message."""
    tags: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.pieces)

    @property
    def asks(self) -> tuple[str, ...]:
        """The fine asks, in order, each once."""
        return tuple(dict.fromkeys(f for _, f in self.pieces if f != NONE))


@dataclass(frozen=True)
class Joins:
    """A message of several asks and where one ask ends and the next begins."""

    text: str
    joins: tuple[int, ...]
    """Character offsets where a piece of one router label is followed by a piece of another, both
    asks (a cut between an ask and the context beside it is neither taught nor forbidden)."""
    near_context: tuple[int, ...]
    """Offsets where an ask meets a `none` piece: left out of the cut model's training."""


def key(text: str) -> str:
    """The text as the dev sets are compared with it: lower case, no punctuation, single spaces."""
    return " ".join(bare(text).split())


def dev_keys(paths: Iterable[Path] = NATURAL_DEVS) -> set[str]:
    """The `key` of every message of the natural dev sets, every language."""
    return {
        key(json.loads(line)["text"])
        for path in paths
        if path.exists()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }


def load_written(paths: Iterable[Path] | None = None) -> list[Written]:
    """Every written message of `paths` (default: every `*.jsonl` of `WRITTEN`), in file order;
    messages tagged `non_english` are left out (the language gate hands them off before the
    classifier reads them)."""
    out: list[Written] = []
    for path in sorted(WRITTEN.glob("*.jsonl")) if paths is None else paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            tags = tuple(row.get("tags", ()))
            if "non_english" not in tags:
                out.append(Written(tuple((str(t), str(f)) for t, f in row["segments"]), tags))
    return out


def written_examples(
    messages: Sequence[Written], label_of: Labelling, held_apart: Collection[str] = ()
) -> list[Example]:
    """The label model's examples from `messages`: pieces, and whole messages that ask one thing
    or nothing; none whose `key` is in `held_apart` (the dev sets), no two alike."""
    seen: set[tuple[str, str]] = set()
    out: list[Example] = []

    def add(text: str, fine: str) -> None:
        text = text.strip()
        k = key(text)
        if k and k not in held_apart and (k, fine) not in seen:
            seen.add((k, fine))
            out.append(Example(text, fine, label_of(fine)))

    for message in messages:
        if key(message.text) in held_apart:
            continue
        for text, fine in message.pieces:
            add(text, fine)
        if len(message.pieces) > 1 and len(message.asks) <= 1:
            add(message.text, message.asks[0] if message.asks else NONE)
    return out


def written_joins(
    messages: Sequence[Written], label_of: Labelling, held_apart: Collection[str] = ()
) -> list[Joins]:
    """The messages that ask things of two router labels or more, with their real joins."""
    out: list[Joins] = []
    for message in messages:
        labels = [label_of(f) for _, f in message.pieces]
        if len(set(labels) - {NONE}) < 2 or key(message.text) in held_apart:
            continue
        joins: list[int] = []
        near: list[int] = []
        offset = len(message.pieces[0][0])
        for (text, _), before, after in zip(message.pieces[1:], labels[:-1], labels[1:], strict=True):
            if before != after:
                (near if NONE in (before, after) else joins).append(offset)
            offset += len(text)
        out.append(Joins(message.text, tuple(joins), tuple(near)))
    return out


def written_training(
    label_of: Labelling,
    natural: Sequence[Example],
    paths: Iterable[Path] | None = None,
    earlier: Sequence[Example] = (),
) -> tuple[list[Example], list[Joins]]:
    """What `routing.train` learns from the written messages of `paths` (default: `WRITTEN`; a later
    file of `WRITTEN_LATER` is read one at a time, at its own sample weight): examples for the label
    model (none equal to a natural dev message, to one of the `natural` examples or to one of the
    `earlier` written examples) and the real joins."""
    messages = load_written(paths)
    held_apart = dev_keys()
    examples = written_examples(messages, label_of, held_apart | {key(e.text) for e in [*natural, *earlier]})
    return examples, written_joins(messages, label_of, held_apart)
