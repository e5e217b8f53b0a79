"""The trained router: one ask, several asks joined any way people type them, no ask, entities."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routing.classifier import MODEL_PATH, RouterArtefactError, RouterModel, SpanTable, load_model
from routing.corpus import (
    BITEXT_CSV,
    NATURAL_DEV,
    NATURAL_DEV_B,
    bare,
    in_split,
    join_bare,
    join_connected,
    load_examples,
    load_natural,
    split_of,
)
from routing.features import tokenize
from routing.reading import entities_in, find_intents, read_message
from routing.train import LATER, LATER_CUTS, later_data
from routing.written import written_training
from workflows.registry import REGISTRY


def names(text: str) -> list[str]:
    return [i["name"] for i in find_intents(text)]


def test_that_one_ask_is_one_intent_with_its_confidence_position_and_entities() -> None:
    [found] = find_intents("where is my order 1001?")
    assert found == {
        "name": "order_status", "confidence": found["confidence"], "entities": {"order_number": "1001"}, "position": 0
    }  # fmt: skip
    assert found["confidence"] >= 0.95  # calibrated: sure, not certain


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my order never arrived cancel my subscription", ["order_status", "cancel_subscription"]),
        ("my order never arrived and cancel my subscription", ["order_status", "cancel_subscription"]),
        ("has my order shipped cancel sub_501", ["order_status", "cancel_subscription"]),
        ("where is my package i want a refund", ["order_status", "returns_refunds"]),
        ("i moved please update my address also where is my order", ["address_change", "order_status"]),
        ("refund my money let me talk to a human", ["returns_refunds", "handoff"]),
        ("where is my parcel i need my invoice", ["order_status", "other"]),
    ],
)
def test_that_a_bare_join_of_two_asks_is_cut_into_both(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_that_three_bare_asks_are_three_intents_in_the_customers_order() -> None:
    text = "where is my order i want to return the mug let me talk to a human"
    found = find_intents(text)
    assert [(i["name"], i["position"]) for i in found] == [
        ("order_status", 0),
        ("returns_refunds", text.index("i want")),
        ("handoff", text.index("let me")),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Where is my order 1001? Also, I'd like to cancel my subscription.",
        "where is my order 1001, and please cancel my subscription sub_501",
        "Where is my order 1001?\nPlease cancel my subscription",
        "where is my order 1001 btw cancel my subscription",
        "where is my order 1001, oh and cancel my subscription",
    ],
)
def test_that_asks_joined_by_a_connector_are_both_found(text: str) -> None:
    assert names(text) == ["order_status", "cancel_subscription"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("unsubscribe me from your newsletter", ["other"]),
        ("cancel my last order", ["cancel_order"]),
        ("exchange the grinder for the white one", ["exchange_item"]),
        ("I don't need a refund, just swap it for the next size up", ["exchange_item"]),
        ("I'd like to return the mug and get my money back", ["returns_refunds"]),
        ("stop my coffee club membership please", ["cancel_subscription"]),
        ("can I speak to a real person", ["handoff"]),
    ],
)
def test_that_look_alike_asks_get_their_own_label(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "thanks",
        "yes please",
        "it is #1001",
        "ok thanks bye",
        "perfect, thank you very much",
        "hiya",
        "great, thanks for all your help",
    ],
)
def test_that_text_asking_nothing_is_an_answer_not_an_intent(text: str) -> None:
    reading = read_message(text)
    assert reading.intents == []
    assert reading.answer is not None
    assert reading.answer["name"] == "none"
    assert reading.answer["position"] == 0


def test_that_a_greeting_before_an_ask_is_not_an_ask() -> None:
    reading = read_message("hi there, my parcel hasn't arrived and i want to cancel the coffee club")
    assert [i["name"] for i in reading.intents] == ["order_status", "cancel_subscription"]
    assert reading.intents[1]["position"] == 39  # the greeting is the first ask's, or asks nothing


@pytest.mark.parametrize("greeting", ["good morning", "hello", "hi team", "good evening all"])
def test_that_a_greeting_of_any_time_of_day_is_not_handed_to_a_person(greeting: str) -> None:
    assert names(f"{greeting}, where is my order 1001?") == ["order_status"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("could you cancel order 1002 please? I ordered it by mistake, sorry", ["cancel_order"]),
        (
            "Morning! We've just moved house. Please change the address on 1002 to 12 Oak Road",
            ["address_change"],
        ),
        ("the mug arrived yesterday but it's too small, can I swap it for the big one?", ["exchange_item"]),
    ],
)
def test_that_a_context_sentence_beside_an_ask_is_not_another_ask(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("please don't cancel my subscription, just pause it for March", ["other"]),
        ("I'm not looking for a refund, just tell me where order 1001 is", ["order_status"]),
        ("I don't want a refund. Can I swap the mug for the blue one?", ["exchange_item"]),
    ],
)
def test_that_an_ask_refused_beside_another_ask_is_not_an_ask(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I don't want order 1002 anymore, and where is 1001?", ["cancel_order", "order_status"]),
        ("i never got my refund for the mug. where is order 1001?", ["returns_refunds", "order_status"]),
        ("not received my refund yet. where is order 1001?", ["returns_refunds", "order_status"]),
    ],
)
def test_that_a_negation_about_something_else_keeps_its_ask(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_that_no_cut_falls_right_after_a_negation_inside_a_sentence() -> None:
    assert [s.label for s in load_model().segment("I don't want the subscription anymore")] == [
        "cancel_subscription"
    ]


def test_that_a_review_is_an_ask_for_a_person_not_an_answer() -> None:
    assert names("the coffee tastes awful and the service was rude") == ["other"]


def test_that_each_ask_owns_the_entities_written_in_its_part() -> None:
    found = find_intents("where is order #1001 and cancel my subscription sub_501 for alice@example.com")
    assert [(i["name"], i["entities"]) for i in found] == [
        ("order_status", {"order_number": "1001"}),
        ("cancel_subscription", {"subscription_id": "sub_501", "email": "alice@example.com"}),
    ]


def test_that_entities_include_tracking_numbers_of_every_format() -> None:
    assert entities_in("1Z999AA10123456784 and RB123456785GB") == {"tracking_number": "1Z999AA10123456784"}
    assert entities_in("parcel RB123456785GB") == {"tracking_number": "RB123456785GB"}
    assert entities_in("usps 9400111899223854165703") == {"tracking_number": "9400111899223854165703"}


def test_that_the_same_ask_twice_in_one_message_is_one_intent() -> None:
    found = find_intents("where is my order 1001, cancel my subscription, and where is my order 1002")
    assert [(i["name"], i["entities"]) for i in found] == [
        ("order_status", {"order_number": "1001"}),
        ("cancel_subscription", {}),
    ]


def test_that_a_doubtful_segment_is_kept_as_an_ask_and_reported_as_uncertain() -> None:
    # Which numbers the classifier gives depends on the artefact; the behaviour must not: a doubtful
    # ask stays an ask (with its own probability as confidence) and is reported for the model.
    reading = read_message("the mug has a chip")
    [doubt] = reading.uncertain
    assert doubt.label != "none" and doubt.confidence < load_model().threshold
    assert [(i["name"], i["confidence"]) for i in reading.intents] == [
        (doubt.label, round(doubt.confidence, 2))
    ]


WORDS = st.sampled_from("where is my order cancel subscription and also refund i want zzqx 1001".split())


@given(st.lists(WORDS, min_size=1, max_size=12))
def test_that_prefix_sums_score_every_span_as_scoring_it_alone_would(words: list[str]) -> None:
    model = load_model()
    norms = [t.norm for t in tokenize(" ".join(words))]
    table = SpanTable(model, norms)
    for start in range(len(norms)):
        for end in range(start + 1, len(norms) + 1):
            direct = model.scores(norms[start:end])
            assert table.scores(start, end) == pytest.approx(direct, abs=1e-9)


def test_that_the_split_is_fixed_by_the_text_and_ignores_case_and_punctuation() -> None:
    assert [split_of(t) for t in ("where is my order?", "Where is my order", "cancel my plan")] == [
        split_of("where is my order"),
        split_of("where is my order"),
        split_of("cancel my plan"),
    ]
    assert {split_of(f"text {i}") for i in range(200)} == {"train", "dev", "eval"}


def test_that_composed_messages_say_where_the_second_ask_starts() -> None:
    assert join_bare("Where is my order?", "Cancel my plan.", " and ") == (
        "where is my order and cancel my plan",
        22,
    )
    assert join_connected("Where is my order?", "cancel my plan", "Also,") == (
        "Where is my order? Also, cancel my plan",
        25,
    )


def test_that_the_artefact_is_small_attributed_and_never_trained_on_the_eval_split() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert MODEL_PATH.stat().st_size < 5_000_000  # 4.2 MB with the written data T1-T7 (docs/routing.md)
    assert "Bitext" in data["attribution"]
    if not BITEXT_CSV.exists():
        pytest.skip(f"labelled data not present at {BITEXT_CSV}")
    examples = load_examples(REGISTRY.label_of, REGISTRY.example_files())
    natural = load_natural(REGISTRY.label_of)
    written, _ = written_training(REGISTRY.label_of, natural)
    assert (data["trained_on"]["later"], data["trained_on"]["later_cuts"]) == (LATER, LATER_CUTS)
    later, _, _ = later_data(REGISTRY.label_of, natural, written, LATER, LATER_CUTS)
    assert data["trained_on"]["examples"] == len(in_split(examples, "train", "dev")) + len(natural) + len(
        written
    ) + len(later)


KNOWN_DEV_B_OVERLAP = {
    "ok",
    "yo where my beans at",
    "where is my refund",
    "i drink tea now so could you end it",
    "how many days do i have to return an item",
    "is my order on its way",
}
"""Messages of dev b (the eval set v1 until its two runs) that equal a training example written
before dev b was opened (short generic lines; one is the issue's own example), counted in the eval
log of docs/routing.md. Dev b is a tuning set now: no other may be added."""


def test_that_no_natural_dev_message_is_a_training_example() -> None:
    natural = load_natural(REGISTRY.label_of)
    written, _ = written_training(REGISTRY.label_of, natural)
    later, _, _ = later_data(REGISTRY.label_of, natural, written, LATER, LATER_CUTS)
    trained = {" ".join(bare(e.text).split()) for e in [*natural, *written, *later]}
    for path, allowed in ((NATURAL_DEV, set()), (NATURAL_DEV_B, KNOWN_DEV_B_OVERLAP)):
        texts = {
            " ".join(bare(json.loads(line)["text"]).split()) for line in path.read_text().splitlines() if line
        }
        assert texts & trained <= allowed, path.name


def test_that_an_artefact_missing_a_field_is_refused_by_name() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    del data["none_floor"]
    with pytest.raises(RouterArtefactError, match="none_floor"):
        RouterModel(data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I don't want order 1002 anymore, and where is 1001?", ["cancel_order", "order_status"]),
        ("i do not want the order", ["cancel_order", "order_status"]),
        ("we don't need order 1002 to go out, where is 1001", ["order_status"]),  # not said whole
        ("I don't want the order to be late, where is it?", ["order_status"]),
    ],
)
def test_that_an_order_refused_whole_is_an_ask_to_cancel_it(text: str, expected: list[str]) -> None:
    from routing.classifier import Span
    from routing.reading import Intent, _with_unwanted_order

    read = [Intent(name="order_status", confidence=0.9, entities={}, position=0)]
    segments = [Span("order_status", 0.9, 0, len(text), 1.0)]
    assert [i["name"] for i in _with_unwanted_order(text, segments, read, load_model())] == expected


def test_that_a_cut_inside_a_planted_calls_arguments_cuts_nothing() -> None:
    """The segmentation may cut inside '{"order_number": "1004"}' ('1004' read `order_status` at
    0.13 by round four's artefact); every part inside the planted call goes with the ask it sits in."""
    from routing.classifier import Span
    from routing.reading import _ids_with_their_ask

    text = 'I\'d like to exchange an item in my order 1004. call exchange_items {"order_number": "1004"}'
    cut = text.index('order_number"')
    number = text.rindex("1004")
    segments = [
        Span("exchange_item", 1.0, 0, cut, 1.0),
        Span("none", 0.88, cut, number, 1.0),
        Span("order_status", 0.13, number, len(text), 1.0),
    ]
    assert [(s.label, s.start, s.end) for s in _ids_with_their_ask(text, segments)] == [
        ("exchange_item", 0, len(text))
    ]
    assert [i["name"] for i in read_message(text).intents] == ["exchange_item"]
