"""Every emoji of the Unicode emoji test data survives the sanitiser byte for byte.

Data: `../shared/data/invisible-unicode` (Emoji 17.0 emoji-test.txt, emoji-zwj-sequences.txt,
emoji-variation-sequences.txt), read in place. ZWJ, VS16 and tag characters are exactly what the
sanitiser removes everywhere else, so these tests are what keeps the removal from going too far.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.emoji_chars import EMOJI, VS_BASE, derive
from tools.sanitiser import LIMITS, Cleaned, clean

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "invisible-unicode"


def sequences(name: str, status: str | None = None) -> list[str]:
    """The code point sequences of a UTS #51 data file, optionally only lines with `status`."""
    found = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        fields = line.split("#")[0].split(";")
        if len(fields) >= 2 and (status is None or fields[1].strip() == status):
            found.append("".join(chr(int(cp, 16)) for cp in fields[0].split()))
    return found


FULLY_QUALIFIED = sequences("emoji-test.txt", "fully-qualified")
ZWJ_SEQUENCES = sequences("emoji-zwj-sequences.txt")
VARIATION_SEQUENCES = sequences("emoji-variation-sequences.txt")
ENGLAND, SCOTLAND, WALES = (
    "🏴" + "".join(chr(0xE0000 + ord(c)) for c in sub) + "\U000e007f" for sub in ("gbeng", "gbsct", "gbwls")
)


def test_that_the_test_data_holds_every_kind_of_sequence_we_promise_to_keep() -> None:
    assert len(FULLY_QUALIFIED) == 3944
    assert len(ZWJ_SEQUENCES) == 1614
    assert len(VARIATION_SEQUENCES) == 742
    kept = set(FULLY_QUALIFIED)
    assert {"👨‍👩‍👧‍👦", "👍🏽", "🧑🏿‍🤝‍🧑🏻", "#️⃣", "🇬🇧", "🏳️‍🌈", "❤️‍🔥", ENGLAND, SCOTLAND, WALES} <= kept


def test_that_every_fully_qualified_emoji_is_kept_byte_for_byte() -> None:
    changed = [seq for seq in FULLY_QUALIFIED if clean(seq) != Cleaned(seq, {})]
    assert changed == []


def test_that_every_fully_qualified_emoji_is_kept_inside_text_and_beside_padding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(LIMITS, "test", 10**6)  # all of them in one string, uncut
    text = " ".join(f"a{seq}b" for seq in FULLY_QUALIFIED)
    assert clean(text, "test").text == text
    padded = " ".join(f"\u200b{seq}\u2060" for seq in FULLY_QUALIFIED)
    assert clean(padded, "test") == Cleaned(
        " ".join(FULLY_QUALIFIED), {"zero_width": 2 * len(FULLY_QUALIFIED)}
    )


@pytest.mark.parametrize("name", ["emoji-zwj-sequences.txt", "emoji-variation-sequences.txt"])
def test_that_every_zwj_and_variation_sequence_is_kept(name: str) -> None:
    changed = [seq for seq in sequences(name) if clean(f"x {seq} y").text != f"x {seq} y"]
    assert changed == []


def test_that_the_parts_of_a_sequence_do_not_survive_alone() -> None:
    joiner, selector, scotland_tags = "\u200d", "\ufe0f", SCOTLAND[1:]
    assert clean(f"a{joiner}b {selector}c {scotland_tags} d").text == "ab c d"


def test_that_the_sanitisers_emoji_classes_are_unicodes_data() -> None:
    assert (EMOJI, VS_BASE) == derive(DATA)


@pytest.mark.parametrize("text", ["\u2667\ufe0e", "a\ufe0f", "\u2667\u200d\u2667", "x\u200d\U0001f600"])
def test_that_a_joiner_or_selector_beside_a_character_unicode_does_not_list_goes(text: str) -> None:
    # U+2667 (white club suit) lies in the Misc Symbols block but takes no variation selector
    assert "\ufe0e" not in clean(text).text and "\ufe0f" not in clean(text).text
    assert "\u200d" not in clean(text).text
