"""Words, overlap and regex search over message text: the sandbox model's only way of reading.

Pure functions. Words are lower-cased runs of letters and digits (snake_case and camelCase split,
a trailing plural "s" dropped), minus a short list of stop words, so that a tool named
`get_order_status` and the text "where are my orders?" share the word "order".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

STOP_WORDS = frozenset(
    "a an the and or but of to in on at for with from by as is are was were be been am it its this "
    "that these those what where when which who how why do does did can could would should will "
    "shall may might i me my mine we us our you your he she they them their hi hello hey please "
    "thanks thank want need like get got have has had not no yes so just about some any there here "
    "if then than up".split()
)

_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_WORD = re.compile(r"[a-z0-9]+")
_TOKEN_TRIM = ".,;:!?()[]{}<>\"'`"


def text_of(message: Mapping[str, Any]) -> str:
    """Return the text of a chat message whose content is a string, a list of parts or null."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text"]
        return "\n".join(str(p) for p in parts)
    return ""


def _normalise(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words(text: str) -> set[str]:
    """Return the normalised content words of `text`."""
    split = _CAMEL.sub(r"\1 \2", text).lower()
    return {_normalise(w) for w in _WORD.findall(split) if w not in STOP_WORDS}


def overlap(candidate: str, text_words: set[str]) -> int:
    """Count the distinct words `candidate` shares with `text_words`."""
    return len(words(candidate) & text_words)


def best_match(candidates: Sequence[str], text: str) -> tuple[int, int]:
    """Return (index, score) of the candidate sharing most words with `text`; the first wins ties."""
    text_words = words(text)
    best, best_score = 0, -1
    for index, candidate in enumerate(candidates):
        score = overlap(candidate, text_words)
        if score > best_score:
            best, best_score = index, score
    return best, best_score


def search_pattern(pattern: str, text: str) -> str | None:
    """Return the first match of a JSON-schema `pattern` in `text`, or None.

    The whole text is searched first; an anchored pattern (`^...$`) then gets each
    whitespace-separated token, stripped of punctuation, in turn.
    """
    try:
        regex = re.compile(pattern)
    except re.error:
        return None
    found = regex.search(text)
    if found:
        return found.group(0)
    for token in text.split():
        found = regex.search(token.strip(_TOKEN_TRIM))
        if found:
            return found.group(0)
    return None


def search_all(pattern: str, text: str) -> list[str]:
    """Return every distinct match of `pattern` in `text`, in order of appearance."""
    try:
        matches = [m.group(0) for m in re.finditer(pattern, text)]
    except re.error:
        return []
    return list(dict.fromkeys(m for m in matches if m))
