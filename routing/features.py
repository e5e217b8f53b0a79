"""What the router reads: tokens, the breaks between them, and the features of spans and cuts.

Pure functions shared by training (`routing.train`) and the runtime (`routing.classifier`), so the
two can never read a message differently.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from routing.ids import EMAIL, SUBSCRIPTION_ID

CONNECTORS = frozenset({"and", "also", "btw", "oh", "plus", "additionally", "then"})
"""Words a cut may swallow between two asks."""
MAX_CONNECTORS = 3

_TOKEN = re.compile(rf"(?P<email>{EMAIL})|(?P<sub>{SUBSCRIPTION_ID})|(?P<word>[^\W_]+(?:['’][^\W_]+)*)")
_BREAKS = (("\n", "\n"), (".", "."), ("?", "."), ("!", "."), (";", "."), (",", ","), (":", ","))


@dataclass(frozen=True)
class Token:
    norm: str
    """Case-folded, apostrophes dropped; numbers, emails and subscription ids become a shape."""
    start: int
    end: int


def normalise(raw: str, kind: str | None) -> str:
    if kind == "email":
        return "_email_"
    if kind == "sub":
        return "_subid_"
    word = raw.casefold().replace("'", "").replace("’", "")
    return "_num_" if any(c.isdigit() for c in word) else word


def tokenize(text: str) -> list[Token]:
    return [Token(normalise(m.group(), m.lastgroup), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def gap_break(text: str) -> str:
    """The strongest break in the text between two tokens: newline, sentence end, comma or none."""
    for char, kind in _BREAKS:
        if char in text:
            return kind
    return ""


def gap_breaks(text: str, tokens: Sequence[Token]) -> list[str]:
    """The break before each token (none before the first)."""
    return ["", *(gap_break(text[a.end : b.start]) for a, b in itertools.pairwise(tokens))]


def token_features(norm: str) -> list[str]:
    """Features of one token wherever it stands: the word and its character trigrams."""
    feats = [f"w:{norm}"]
    if len(norm) >= 3 and not norm.startswith("_"):
        padded = f"<{norm}>"
        feats.extend(f"c:{padded[i : i + 3]}" for i in range(len(padded) - 2))
    return feats


def span_features(norms: Sequence[str]) -> list[str]:
    """Every feature the label model reads for a span (training uses exactly this)."""
    feats = [f for n in norms for f in token_features(n)]
    feats.extend(f"b:{a} {b}" for a, b in itertools.pairwise(norms))
    if norms:
        feats.extend((f"s:{norms[0]}", f"e:{norms[-1]}"))
    return feats


FUNCTION_WORDS = frozenset(
    "a an the my your our ur this that these those some any i im id ive me you u we it its to of for "
    "with in on at by from about into up out and or but so if is are was were be been am do does did "
    "dont doesnt didnt can cant could would will wont should shall may might must have has had want "
    "wanna need needs like how what where when which who why help please pls not no".split()
)
"""Words that rarely end an ask (and, as a class, generalise the cut model beyond its lexicon)."""


class Windows(Protocol):
    def window(self, start: int, end: int) -> tuple[str, float]: ...


def cut_features(
    norms: Sequence[str], breaks: Sequence[str], end: int, start: int, windows: Windows
) -> list[str]:
    """Features of a cut after token `end - 1` and before token `start` (connectors in between).

    `breaks[i]` is the break before token `i`; `windows` labels the few tokens either side.
    """
    left, right = norms[end - 1], norms[start]
    left2 = norms[end - 2] if end >= 2 else "^"
    right2 = norms[start + 1] if start + 1 < len(norms) else "$"
    conn = " ".join(norms[end:start])
    brk = max((breaks[i] for i in range(end, start + 1)), key=_BREAK_RANK.__getitem__)
    lf, rf = int(left in FUNCTION_WORDS), int(right in FUNCTION_WORDS)
    wl, pl = windows.window(max(0, end - WINDOW), end)
    wr, pr = windows.window(start, min(len(norms), start + WINDOW))
    sure = "hi" if min(pl, pr) >= 0.9 else "mid" if min(pl, pr) >= 0.6 else "lo"
    return [
        "bias",
        f"L:{left}",
        f"R:{right}",
        f"LR:{left}|{right}",
        f"L2:{left2}|{left}",
        f"R2:{right}|{right2}",
        f"C:{conn}",
        f"B:{brk}",
        f"BR:{brk}|{right}",
        f"CR:{conn}|{right}",
        f"Ls:{left[-3:]}",
        f"Rp:{right[:3]}",
        f"F:{lf}{rf}",
        f"FR:{lf}|{right}",
        f"LF:{left}|{rf}",
        f"W:{wl}|{wr}",
        f"WD:{wl != wr}|{sure}",
    ]


WINDOW = 4
"""Tokens either side of a cut that the label model reads for the cut model."""
_BREAK_RANK = {"": 0, ",": 1, ".": 2, "\n": 3}
