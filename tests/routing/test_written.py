"""The written training messages: what the label model and the cut model learn from each."""

from __future__ import annotations

import json
from pathlib import Path

from routing.features import tokenize
from routing.train import written_cuts
from routing.written import WRITTEN, Written, key, load_written, written_examples, written_joins
from workflows.registry import REGISTRY

TWO_ASKS = Written(
    (
        ("Hi there! ", "none"),
        ("where is order 1001? ", "track_order"),
        ("and cancel 1002 please. ", "cancel_order"),
        ("Kind regards, Margaret", "none"),
    )
)
ONE_ASK = Written((("Morning! ", "none"), ("can I swap the mug for the blue one?", "exchange_item")))
NO_ASK = Written((("ok ", "none"), ("thanks a lot", "none")))


def learnt(*messages: Written, held_apart: frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:
    return [(e.text, e.source, e.label) for e in written_examples(messages, REGISTRY.label_of, held_apart)]


def test_that_each_piece_is_an_example_of_its_fine_label_and_a_one_ask_message_of_its_ask() -> None:
    assert learnt(TWO_ASKS, ONE_ASK, NO_ASK) == [
        ("Hi there!", "none", "none"),
        ("where is order 1001?", "track_order", "order_status"),
        ("and cancel 1002 please.", "cancel_order", "cancel_order"),
        ("Kind regards, Margaret", "none", "none"),
        ("Morning!", "none", "none"),
        ("can I swap the mug for the blue one?", "exchange_item", "exchange_item"),
        ("Morning! can I swap the mug for the blue one?", "exchange_item", "exchange_item"),
        ("ok", "none", "none"),
        ("thanks a lot", "none", "none"),
        ("ok thanks a lot", "none", "none"),
    ]


def test_that_a_message_or_piece_equal_to_a_dev_message_is_left_out() -> None:
    assert learnt(ONE_ASK, held_apart=frozenset({key("morning")})) == [
        ("can I swap the mug for the blue one?", "exchange_item", "exchange_item"),
        ("Morning! can I swap the mug for the blue one?", "exchange_item", "exchange_item"),
    ]
    assert learnt(ONE_ASK, held_apart=frozenset({key("MORNING! Can I swap the mug for the blue one")})) == []


def test_that_the_cut_model_learns_the_joins_between_asks_and_not_those_beside_context() -> None:
    [joins] = written_joins([TWO_ASKS, ONE_ASK, NO_ASK], REGISTRY.label_of)
    assert joins.text[joins.joins[0] :].startswith("and cancel")
    cuts, unknown = written_cuts(joins)
    norms = [t.norm for t in tokenize(joins.text)]
    [(end, start)] = cuts
    assert (norms[end - 1], norms[end:start], norms[start]) == ("_num_", ["and"], "cancel")  # "and" swallowed
    assert [norms[i] for i in unknown] == ["where", "kind"]


def test_that_the_committed_written_files_parse_and_their_labels_are_the_routers_classes(
    tmp_path: Path,
) -> None:
    messages = load_written()
    assert len(messages) > 1000
    assert all(message.text.strip() for message in messages)
    assert {f for message in messages for _, f in message.pieces} <= set(REGISTRY.router.classes)
    (tmp_path / "x.jsonl").write_text(
        json.dumps({"segments": [["Bonjour", "none"]], "tags": ["non_english"]}) + "\n", encoding="utf-8"
    )
    assert load_written([tmp_path / "x.jsonl"]) == []
    assert sorted(p.name for p in WRITTEN.glob("*.jsonl")) == ["T1.jsonl", "T2.jsonl", "T3.jsonl"]
