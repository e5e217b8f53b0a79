"""The one sanitiser every external string passes before a model reads it.

Invariant guarded here (ARCHITECTURE invariant 5): invisible and format characters are removed,
padding is collapsed, length is capped, and what was removed is reported. Emoji joiners (ZWJ,
VS16) and tag characters are kept only inside emoji sequences.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

CUT_MARKER = " [...cut]"

LIMITS: dict[str, int] = {"customer": 4000, "tool": 2000, "helpdesk": 4000}

_ZERO_WIDTH = {0x200B, 0x200C, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF, 0x180E, 0x034F, 0x00AD}
_BIDI = {0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
_FILLERS = {0x115F, 0x1160, 0x3164, 0xFFA0}
_CONTEXTUAL = {0x200D, 0xFE0F}  # joiner and emoji presentation: kept only inside emoji sequences

_CLASS_OF: dict[int, str] = {}
for _cp in _ZERO_WIDTH:
    _CLASS_OF[_cp] = "zero_width"
for _cp in _BIDI:
    _CLASS_OF[_cp] = "bidi"
for _cp in _FILLERS:
    _CLASS_OF[_cp] = "filler"
for _cp in range(0xFE00, 0xFE0F):
    _CLASS_OF[_cp] = "variation_selector"
for _cp in range(0xE0100, 0xE01F0):
    _CLASS_OF[_cp] = "variation_selector"

_DELETE = {cp: None for cp in _CLASS_OF}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_EMOJI_JOIN = re.compile(
    r"(?<=[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u00A9\u00AE\u203C-\u3299])"
    r"(?:\uFE0F|\u200D|[\U000E0020-\U000E007F]+)"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}")
_BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")
_REPEATS = re.compile(r"(.{1,8}?)\1{15,}", re.DOTALL)


@dataclass
class Cleaned:
    """A cleaned string and what the sanitiser did to it."""

    text: str
    removed: dict[str, int] = field(default_factory=dict)
    cut: bool = False


def _strip_contextual(text: str, removed: dict[str, int]) -> str:
    """Drop ZWJ, VS16 and tag characters except where they continue an emoji."""
    keep = {m.start() for m in _EMOJI_JOIN.finditer(text)}
    out = []
    for i, ch in enumerate(text):
        cp = ord(ch)
        contextual = cp in _CONTEXTUAL or 0xE0000 <= cp <= 0xE007F
        if contextual and i not in keep:
            removed["format"] = removed.get("format", 0) + 1
            continue
        out.append(ch)
    return "".join(out)


def _strip_controls(text: str, removed: dict[str, int]) -> str:
    out = []
    for ch in text:
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf") or ord(ch) in _CONTEXTUAL:
            out.append(ch)
        elif 0xE0000 <= ord(ch) <= 0xE007F:
            out.append(ch)
        else:
            removed["control"] = removed.get("control", 0) + 1
    return "".join(out)


def clean(text: str, source: str = "customer") -> Cleaned:
    """Return `text` with invisible padding removed, whitespace collapsed and length capped."""
    removed: dict[str, int] = {}
    if _NON_ASCII.search(text):
        for ch in text:
            cls = _CLASS_OF.get(ord(ch))
            if cls:
                removed[cls] = removed.get(cls, 0) + 1
        text = text.translate(_DELETE)
        text = _strip_contextual(text, removed)
        text = unicodedata.normalize("NFC", text)
    text = _strip_controls(text, removed) if not text.isprintable() else text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    collapsed = _REPEATS.sub(lambda m: m.group(1) * 3, text)
    collapsed = _SPACES.sub(" ", collapsed)
    collapsed = _BLANK_LINES.sub("\n\n", collapsed).strip()
    if len(collapsed) < len(text.strip()):
        removed["padding"] = removed.get("padding", 0) + len(text.strip()) - len(collapsed)
    limit = LIMITS.get(source, LIMITS["tool"])
    if len(collapsed) > limit:
        return Cleaned(collapsed[:limit] + CUT_MARKER, removed, cut=True)
    return Cleaned(collapsed, removed)
