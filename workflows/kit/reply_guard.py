"""The structural reply guard: third-party free text never reaches the customer verbatim.

Whatever the model or a policy writes, a reply is checked against every third-party text the
run's tool results carried (`tools.third_party`: order notes, names, address lines, titles,
carrier event texts). A relay is `MIN_RUN` or more consecutive words of one such text in the reply
(compared case- and punctuation-insensitively); it is replaced by the text's summary: the clause
around it (between `.;!?` or line breaks) for a note or a carrier event ("the order has a note"),
the words themselves for a name, an address line or a title ("the address on the order"). Not driven by the injection
detector: a harmless note is not quoted either. Order notes are quoted only where the brand sets
`show_order_notes: true`, and then only notes the detector does not flag.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from langchain_core.messages import AnyMessage, ToolMessage

from tools.injection import signals
from tools.third_party import PHRASES, SUMMARY, UNTRUSTED, Untrusted

MIN_RUN = 6
"""Consecutive words of a third-party text that make a relay."""
_WORD = re.compile(r"\\[nrt\"]|([^\W_]+(?:'[^\W_]+)*)")
"""A word, or an escape sequence a model copies from JSON-quoted data (`\\n`), which separates words."""
_CLAUSE_END = re.compile(r"[.;!?\n]")


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold().replace("'", "")


def _words(text: str) -> list[re.Match[str]]:
    return [m for m in _WORD.finditer(text) if m.group(1)]


def words(text: str) -> list[str]:
    return [_fold(m.group(1)) for m in _words(text)]


def third_party_texts(transcript: Iterable[AnyMessage]) -> list[Untrusted]:
    """Every third-party text the tool results in `transcript` carried."""
    found: list[Untrusted] = []
    for message in transcript:
        if isinstance(message, ToolMessage) and isinstance(message.artifact, dict):
            found += [u for u in message.artifact.get(UNTRUSTED) or [] if isinstance(u, dict)]
    return found


def _shingles(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + MIN_RUN]) for i in range(len(w) - MIN_RUN + 1)}


def relays(reply: str, texts: Sequence[str]) -> list[tuple[int, int]]:
    """The character spans of `reply` that relay `MIN_RUN`+ consecutive words of one of `texts`."""
    found = [(m.start(1), m.end(1), _fold(m.group(1))) for m in _words(reply)]
    covered = [False] * len(found)
    for text in texts:
        grams = _shingles(text)
        if not grams:
            continue
        for i in range(len(found) - MIN_RUN + 1):
            if tuple(w for _, _, w in found[i : i + MIN_RUN]) in grams:
                covered[i : i + MIN_RUN] = [True] * MIN_RUN
    spans: list[tuple[int, int]] = []
    for i, hit in enumerate(covered):
        if not hit:
            continue
        if spans and i > 0 and covered[i - 1]:
            spans[-1] = (spans[-1][0], found[i][1])
        else:
            spans.append((found[i][0], found[i][1]))
    return spans


def longest_relay(reply: str, text: str) -> int:
    """The most consecutive words of `text` found in `reply` (for measuring, not guarding)."""
    r, t = words(reply), words(text)
    best = 0
    for i in range(len(r)):
        for j in range(len(t)):
            n = 0
            while i + n < len(r) and j + n < len(t) and r[i + n] == t[j + n]:
                n += 1
            best = max(best, n)
    return best


_QUOTES = "\"'“”‘’«»"


def _clause(reply: str, start: int, end: int) -> tuple[int, int]:
    """The clause(s) around `start:end`: from after the previous clause end to before the next one
    (a clause end inside the quoted text, right before its closing quote, does not count)."""
    before = [m.end() for m in _CLAUSE_END.finditer(reply, 0, start)]
    left = before[-1] if before else 0
    after = _CLAUSE_END.search(reply, end)
    while after is not None and reply[after.end() : after.end() + 1] in tuple(_QUOTES):
        after = _CLAUSE_END.search(reply, after.end() + 1)
    right = after.start() if after else len(reply)
    while left < start and reply[left].isspace():
        left += 1
    return left, right


def _quoted(reply: str, start: int, end: int) -> tuple[int, int]:
    """The span itself, with the quotes around it."""
    while start > 0 and reply[start - 1] in _QUOTES:
        start -= 1
    while end < len(reply) and reply[end] in _QUOTES:
        end += 1
    return start, end


def guard_reply(reply: str, texts: Sequence[Untrusted], *, show_notes: bool = False) -> tuple[str, list[str]]:
    """`reply` with every relayed third-party text's clause replaced by its summary, and the kinds
    replaced (for the metric)."""
    guarded = [u for u in texts if not (show_notes and u["kind"] == "note" and not signals(u["text"]))]
    replaced: list[str] = []
    for item in guarded:
        spans = relays(reply, [item["text"]])
        for start, end in reversed(spans):
            phrase = item["kind"] in PHRASES  # a name or a title: the span; a note or an event: its clause
            left, right = _quoted(reply, start, end) if phrase else _clause(reply, start, end)
            summary = SUMMARY[item["kind"]]
            if left == 0 or reply[left - 1] in ".!?\n" or reply[max(left - 2, 0)] in ".!?\n":
                summary = summary[0].upper() + summary[1:]
            reply = reply[:left] + summary + reply[right:]
            replaced.append(item["kind"])
    return reply, replaced
