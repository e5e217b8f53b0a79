"""Readings the router tests need, found under whatever artefact is committed."""

from __future__ import annotations

from routing.reading import read_message

DOUBTFUL_NO_ASK_CANDIDATES = (
    "it broke",
    "the coffee maker broke",
    "hmm the thing broke",
    "my email is alice@example.com",
)


def doubtful_no_ask() -> str:
    """A text the committed artefact reads as one doubtful "asks nothing" (which one depends on the
    artefact; the behaviour tested must not)."""
    for text in DOUBTFUL_NO_ASK_CANDIDATES:
        reading = read_message(text)
        if [s.label for s in reading.segments] == [s.label for s in reading.uncertain] == ["none"]:
            return text
    raise AssertionError("no candidate reads as a doubtful no-ask under this artefact: add one")
