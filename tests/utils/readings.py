"""Readings the router tests need, found under whatever artefact is committed."""

from __future__ import annotations

from routing.reading import read_message

DOUBTFUL_NO_ASK_CANDIDATES = (
    "and",
    "hmm and",
    "right so",
    "ok and",
    "hmm",
    "well",
    "so yeah",
    "the thing",
    "about that",
    "it broke",
    "the coffee maker broke",
    "hmm the thing broke",
    "my email is alice@example.com",
    "the beans",
    "the grinder",
)


def doubtful_no_ask() -> str:
    """A text the committed artefact reads as one doubtful "asks nothing" (which one depends on the
    artefact; the behaviour tested must not). Skips when the artefact's `none` floor is at or above
    its threshold: then a part read as asking nothing is never doubtful."""
    import pytest  # pylint: disable=import-outside-toplevel  # tests only

    from routing.classifier import load_model  # pylint: disable=import-outside-toplevel

    model = load_model()
    if model.none_floor >= model.threshold:
        pytest.skip("under this artefact no part that asks nothing is doubtful (none floor >= threshold)")
    for text in DOUBTFUL_NO_ASK_CANDIDATES:
        reading = read_message(text)
        if [s.label for s in reading.segments] == [s.label for s in reading.uncertain] == ["none"]:
            return text
    raise AssertionError("no candidate reads as a doubtful no-ask under this artefact: add one")


MODEL_WORTHY_CANDIDATES = (
    "my coffee maker broke, what about my order",
    "the thing i got is weird and i dont know",
    "hmm about my stuff",
    "my coffee maker broke",
    "it broke and the box was open",
    "what about the mug",
    "so the grinder thing",
    "hmm",
    "the box",
    "about the beans",
    "my thing from you",
    "coffee",
    "grinder",
)


def model_worthy() -> str:
    """A text the committed artefact reads so that the model's answer could change what runs
    (`nodes.route.needs_model`); which one depends on the artefact, the behaviour tested must not."""
    from nodes.route import needs_model  # pylint: disable=import-outside-toplevel  # tests only

    for text in MODEL_WORTHY_CANDIDATES:
        if needs_model(read_message(text), []):
            return text
    raise AssertionError("no candidate would be sent to the model under this artefact: add one")
