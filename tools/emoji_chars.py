"""The characters of Unicode's emoji data, as regex class bodies: the sanitiser keeps a zero width
joiner or a presentation selector (VS15, VS16) only beside them.

Derived from UTS #51's data files (Emoji 17.0, `emoji-test.txt` and `emoji-variation-sequences.txt`,
Unicode License v3), read in place from `../shared/data/invisible-unicode`; the tests derive them
again and compare (`tests/tools/test_sanitiser_emoji.py`). After a new emoji version, print the new
constants with `python -m tools.emoji_chars DATA_DIR` and paste them here.
"""

from __future__ import annotations

import sys
from pathlib import Path

CONTEXTUAL = frozenset({0x200D, 0xFE0E, 0xFE0F, *range(0xE0020, 0xE0080)})
"""Joiner, selectors and tag characters: parts of a sequence, never emoji characters themselves."""


def code_points(path: Path, *, first_only: bool = False) -> set[int]:
    """The code points of a UTS #51 data file's sequences (or only each sequence's first)."""
    found: set[int] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("#")[0].split(";")
        if len(fields) >= 2 and fields[0].strip():
            points = [int(cp, 16) for cp in fields[0].split()]
            found.update(points[:1] if first_only else points)
    return found


def class_body(points: set[int]) -> str:
    """A regex character class body (no brackets) matching exactly `points`, as escaped ranges."""
    ordered = sorted(points)
    runs: list[tuple[int, int]] = []
    for cp in ordered:
        if runs and cp == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], cp)
        else:
            runs.append((cp, cp))
    return "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in runs)


def derive(data_dir: Path) -> tuple[str, str]:
    """(EMOJI, VS_BASE) from the data files in `data_dir`."""
    emoji = code_points(data_dir / "emoji-test.txt") - CONTEXTUAL
    bases = code_points(data_dir / "emoji-variation-sequences.txt", first_only=True)
    return class_body(emoji), class_body(bases)


EMOJI = (
    r"\U00000023\U0000002a\U00000030-\U00000039\U000000a9\U000000ae\U0000203c\U00002049\U000020e3"
    r"\U00002122\U00002139\U00002194-\U00002199\U000021a9-\U000021aa\U0000231a-\U0000231b"
    r"\U00002328\U000023cf\U000023e9-\U000023f3\U000023f8-\U000023fa\U000024c2"
    r"\U000025aa-\U000025ab\U000025b6\U000025c0\U000025fb-\U000025fe\U00002600-\U00002604"
    r"\U0000260e\U00002611\U00002614-\U00002615\U00002618\U0000261d\U00002620\U00002622-\U00002623"
    r"\U00002626\U0000262a\U0000262e-\U0000262f\U00002638-\U0000263a\U00002640\U00002642"
    r"\U00002648-\U00002653\U0000265f-\U00002660\U00002663\U00002665-\U00002666\U00002668"
    r"\U0000267b\U0000267e-\U0000267f\U00002692-\U00002697\U00002699\U0000269b-\U0000269c"
    r"\U000026a0-\U000026a1\U000026a7\U000026aa-\U000026ab\U000026b0-\U000026b1"
    r"\U000026bd-\U000026be\U000026c4-\U000026c5\U000026c8\U000026ce-\U000026cf\U000026d1"
    r"\U000026d3-\U000026d4\U000026e9-\U000026ea\U000026f0-\U000026f5\U000026f7-\U000026fa"
    r"\U000026fd\U00002702\U00002705\U00002708-\U0000270d\U0000270f\U00002712\U00002714\U00002716"
    r"\U0000271d\U00002721\U00002728\U00002733-\U00002734\U00002744\U00002747\U0000274c\U0000274e"
    r"\U00002753-\U00002755\U00002757\U00002763-\U00002764\U00002795-\U00002797\U000027a1"
    r"\U000027b0\U000027bf\U00002934-\U00002935\U00002b05-\U00002b07\U00002b1b-\U00002b1c"
    r"\U00002b50\U00002b55\U00003030\U0000303d\U00003297\U00003299\U0001f004\U0001f0cf"
    r"\U0001f170-\U0001f171\U0001f17e-\U0001f17f\U0001f18e\U0001f191-\U0001f19a"
    r"\U0001f1e6-\U0001f1ff\U0001f201-\U0001f202\U0001f21a\U0001f22f\U0001f232-\U0001f23a"
    r"\U0001f250-\U0001f251\U0001f300-\U0001f321\U0001f324-\U0001f393\U0001f396-\U0001f397"
    r"\U0001f399-\U0001f39b\U0001f39e-\U0001f3f0\U0001f3f3-\U0001f3f5\U0001f3f7-\U0001f4fd"
    r"\U0001f4ff-\U0001f53d\U0001f549-\U0001f54e\U0001f550-\U0001f567\U0001f56f-\U0001f570"
    r"\U0001f573-\U0001f57a\U0001f587\U0001f58a-\U0001f58d\U0001f590\U0001f595-\U0001f596"
    r"\U0001f5a4-\U0001f5a5\U0001f5a8\U0001f5b1-\U0001f5b2\U0001f5bc\U0001f5c2-\U0001f5c4"
    r"\U0001f5d1-\U0001f5d3\U0001f5dc-\U0001f5de\U0001f5e1\U0001f5e3\U0001f5e8\U0001f5ef\U0001f5f3"
    r"\U0001f5fa-\U0001f64f\U0001f680-\U0001f6c5\U0001f6cb-\U0001f6d2\U0001f6d5-\U0001f6d8"
    r"\U0001f6dc-\U0001f6e5\U0001f6e9\U0001f6eb-\U0001f6ec\U0001f6f0\U0001f6f3-\U0001f6fc"
    r"\U0001f7e0-\U0001f7eb\U0001f7f0\U0001f90c-\U0001f93a\U0001f93c-\U0001f945"
    r"\U0001f947-\U0001f9ff\U0001fa70-\U0001fa7c\U0001fa80-\U0001fa8a\U0001fa8e-\U0001fac6"
    r"\U0001fac8\U0001facd-\U0001fadc\U0001fadf-\U0001faea\U0001faef-\U0001faf8"
)
"""Every code point of emoji-test.txt's sequences but the contextual ones (1,439)."""

VS_BASE = (
    r"\U00000023\U0000002a\U00000030-\U00000039\U000000a9\U000000ae\U0000203c\U00002049\U00002122"
    r"\U00002139\U00002194-\U00002199\U000021a9-\U000021aa\U0000231a-\U0000231b\U00002328"
    r"\U000023cf\U000023e9-\U000023f3\U000023f8-\U000023fa\U000024c2\U000025aa-\U000025ab"
    r"\U000025b6\U000025c0\U000025fb-\U000025fe\U00002600-\U00002604\U0000260e\U00002611"
    r"\U00002614-\U00002615\U00002618\U0000261d\U00002620\U00002622-\U00002623\U00002626\U0000262a"
    r"\U0000262e-\U0000262f\U00002638-\U0000263a\U00002640\U00002642\U00002648-\U00002653"
    r"\U0000265f-\U00002660\U00002663\U00002665-\U00002666\U00002668\U0000267b"
    r"\U0000267e-\U0000267f\U00002692-\U00002697\U00002699\U0000269b-\U0000269c"
    r"\U000026a0-\U000026a1\U000026a7\U000026aa-\U000026ab\U000026b0-\U000026b1"
    r"\U000026bd-\U000026be\U000026c4-\U000026c5\U000026c8\U000026ce-\U000026cf\U000026d1"
    r"\U000026d3-\U000026d4\U000026e9-\U000026ea\U000026f0-\U000026f5\U000026f7-\U000026fa"
    r"\U000026fd\U00002702\U00002705\U00002708-\U0000270d\U0000270f\U00002712\U00002714\U00002716"
    r"\U0000271d\U00002721\U00002728\U00002733-\U00002734\U00002744\U00002747\U0000274c\U0000274e"
    r"\U00002753-\U00002755\U00002757\U00002763-\U00002764\U00002795-\U00002797\U000027a1"
    r"\U000027b0\U000027bf\U00002934-\U00002935\U00002b05-\U00002b07\U00002b1b-\U00002b1c"
    r"\U00002b50\U00002b55\U00003030\U0000303d\U00003297\U00003299\U0001f004\U0001f170-\U0001f171"
    r"\U0001f17e-\U0001f17f\U0001f202\U0001f21a\U0001f22f\U0001f237\U0001f30d-\U0001f30f\U0001f315"
    r"\U0001f31c\U0001f321\U0001f324-\U0001f32c\U0001f336\U0001f378\U0001f37d\U0001f393"
    r"\U0001f396-\U0001f397\U0001f399-\U0001f39b\U0001f39e-\U0001f39f\U0001f3a7"
    r"\U0001f3ac-\U0001f3ae\U0001f3c2\U0001f3c4\U0001f3c6\U0001f3ca-\U0001f3ce"
    r"\U0001f3d4-\U0001f3e0\U0001f3ed\U0001f3f3\U0001f3f5\U0001f3f7\U0001f408\U0001f415\U0001f41f"
    r"\U0001f426\U0001f43f\U0001f441-\U0001f442\U0001f446-\U0001f449\U0001f44d-\U0001f44e"
    r"\U0001f453\U0001f46a\U0001f47d\U0001f4a3\U0001f4b0\U0001f4b3\U0001f4bb\U0001f4bf\U0001f4cb"
    r"\U0001f4da\U0001f4df\U0001f4e4-\U0001f4e6\U0001f4ea-\U0001f4ed\U0001f4f7"
    r"\U0001f4f9-\U0001f4fb\U0001f4fd\U0001f508\U0001f50d\U0001f512-\U0001f513"
    r"\U0001f549-\U0001f54a\U0001f550-\U0001f567\U0001f56f-\U0001f570\U0001f573-\U0001f579"
    r"\U0001f587\U0001f58a-\U0001f58d\U0001f590\U0001f5a5\U0001f5a8\U0001f5b1-\U0001f5b2\U0001f5bc"
    r"\U0001f5c2-\U0001f5c4\U0001f5d1-\U0001f5d3\U0001f5dc-\U0001f5de\U0001f5e1\U0001f5e3"
    r"\U0001f5e8\U0001f5ef\U0001f5f3\U0001f5fa\U0001f610\U0001f687\U0001f68d\U0001f691\U0001f694"
    r"\U0001f698\U0001f6ad\U0001f6b2\U0001f6b9-\U0001f6ba\U0001f6bc\U0001f6cb\U0001f6cd-\U0001f6cf"
    r"\U0001f6e0-\U0001f6e5\U0001f6e9\U0001f6f0\U0001f6f3"
)
"""Every base of emoji-variation-sequences.txt: what VS15 or VS16 may follow (371)."""


def main(argv: list[str]) -> None:
    emoji, bases = derive(Path(argv[0]))
    print(f'EMOJI = r"{emoji}"\nVS_BASE = r"{bases}"')


if __name__ == "__main__":
    main(sys.argv[1:])
