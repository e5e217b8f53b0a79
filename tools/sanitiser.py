"""The one sanitiser every external string passes before a model reads it.

Invariant guarded here (ARCHITECTURE invariant 5): invisible and format characters are removed,
padding is collapsed, length is capped, and what was removed is reported by class, with the
injection signals of `tools.injection` for the text the model will read. Emoji joiners (ZWJ),
presentation selectors (VS15/VS16) and tag characters are kept only inside emoji sequences.

Steps, in order (docs/sanitiser.md says why each is there):
1. line breaks (CR LF, CR, VT, FF, NEL, U+2028/2029) become "\\n";
2. controls, format characters and default-ignorable code points are removed, counted by class;
3. ZWJ, VS15/VS16 and tag characters outside emoji sequences are removed;
4. NFC (never NFKC: it changes meaning, e.g. "²" -> "2");
5. padding collapses: a run of spaces becomes one space, blank lines become one, the ends are
   stripped; then a unit of 1-8 characters repeated 16+ times keeps 3 copies;
6. the text is capped per source, ending in `CUT_MARKER`, and stays within the cap;
7. the injection signals of the capped text are attached.
`clean` is idempotent. The fast path is picked per input: ASCII skips 2-4 (`str.isascii` is
O(1)); astral ranges join the removal regex only when a one-range search finds plane 14; the
whitespace regexes run only when a substring test says they can match; the repeat regex runs only
where the text equals itself shifted by 5-8 characters (found with big-integer XOR).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from tools.emoji_chars import EMOJI, VS_BASE
from tools.injection import signals

CUT_MARKER = " [...cut]"

LIMITS: dict[str, int] = {"customer": 4000, "helpdesk": 4000, "tool": 2000, "tool_result": 8000}
"""Characters a model may read per string, marker included, by source: `tool` is one field of an
upstream response, `tool_result` the text a tool composed from several fields."""

THIRD_PARTY = frozenset({"tool", "tool_result"})
"""Sources written by someone other than the customer or our agents: the learned `instruction`
signal reads only these (`tools.injection.signals`)."""

VERBATIM_KEYS = frozenset({"access_token", "refresh_token", "id_token", "next_cursor", "previous_cursor"})
"""Fields `clean_fields` leaves byte-exact: credentials and cursors go back upstream, never to a
model (invariant 6 keeps secrets out of prompts), and a cut or collapsed token would break the call."""

# Ranges per class: UCD 17 Cc, Cf and Default_Ignorable_Code_Point, minus "\t" and "\n" (the line
# breaks are mapped first) and minus the characters emoji sequences need (ZWJ, VS15, VS16: step 3).
# Plane 14 holds the tags (E0000-E007F, kept inside a flag tag sequence), selectors E0100-E01EF and
# unassigned default-ignorables; five rare format characters sit in plane 1. Counting goes in this
# order and `format`, last, takes whatever the others left.
_CLASSES: dict[str, str] = {
    "zero_width": r"\u200b\u200c\u2060-\u2064\ufeff",
    "bidi": r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069",
    "tag": r"\U000e0000-\U000e007f",
    "variation_selector": r"\u180b-\u180d\u180f\ufe00-\ufe0d\U000e0100-\U000e01ef",
    "filler": r"\u115f\u1160\u3164\uffa0",
    "control": r"\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff",  # lone surrogates count as controls
    "format": r"\xad\u034f\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u17b4\u17b5\u180e\u2065\u206a-\u206f\ufff0-\ufffb",
}
_BMP = "".join(re.sub(r"\\U\w{8}(?:-\\U\w{8})?", "", ranges) for ranges in _CLASSES.values())  # BMP parts
_PLANE_14 = r"\U000e0000-\U000e0fff"
_RARE_FORMAT = r"\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
# A regex scans for one range fast and for a list of astral ranges slowly: one range per test.
_PLANE_14_SUSPECT = re.compile(f"[{_PLANE_14}]")
_RARE_SUSPECT = re.compile(r"[\U000110bd-\U0001d17a]")
_FLAG = "\U0001f3f4"
_FEW_POINTS = {"filler": "\u115f\u1160\u3164\uffa0"}


def _runs(charset: str, group: bool = True) -> re.Pattern[str]:
    # "[c][c]*", not "[c]+": re scans for a leading character set fast, not for a leading repeat
    body = f"[{charset}][{charset}]*"
    return re.compile(f"({body})" if group else body)


_BMP_RUNS = _runs(_BMP)
_WITH_PLANE_14_RUNS = _runs(_BMP + _PLANE_14)
_BESIDE_FLAGS_RUNS = _runs(_BMP + r"\U000e0000-\U000e001f\U000e0080-\U000e0fff")  # after _TAGS kept the flags
_RARE_RUNS = _runs(_RARE_FORMAT)
_EACH = [(name, _runs(ranges, group=False)) for name, ranges in _CLASSES.items()]
_ASCII_CONTROLS = dict.fromkeys((*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F))
_ASCII_BREAKS = str.maketrans("\r\x0b\x0c", "\n\n\n")
_LINE_BREAKS = ("\r\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029")

# Emoji characters and the bases that take VS15/VS16 exactly as Unicode's emoji data lists them
# (tools/emoji_chars.py): a joiner or selector beside any other character is padding.
# The joiner or selector comes first in each pattern (a fast literal scan); lookbehinds check what precedes.
_STRAY_ZWJ = re.compile(rf"\u200d(?:(?![{EMOJI}])|(?<![{EMOJI}]\u200d)(?<![{VS_BASE}]\ufe0f\u200d))")
_STRAY_PRESENTATION = re.compile(rf"[\ufe0e\ufe0f](?<![{VS_BASE}][\ufe0e\ufe0f])")
# A subdivision flag: black flag, a unicode_subdivision_id (3-7 of [0-9a-z]) as tags, cancel tag.
_TAGS = re.compile(
    r"(\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]{3,7}\U000e007f)|[\U000e0020-\U000e007f]+"
)

_HSPACE = r"[ \t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]"
_OTHER_SPACE = re.compile(r"[\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACES = re.compile(f"{_HSPACE}{_HSPACE}+")
_OTHER_TRAILING = re.compile(r"[\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]\n")
_BLANK_LINES = re.compile(r"\n\n\n+")
_REPEAT16 = re.compile(r"(.{1,8}?)\1{15}", re.DOTALL)
_REPEAT_KEEP = 3
_SHIFTS = (5, 6, 7, 8)
_EQUAL_RUN = 11
"""A unit of k <= 8 characters repeated 16 times equals itself shifted by the multiple of k in
5..8 over at least 11 characters (k=1 at shift 5: 16 - 5), so runs shorter than that are skipped."""
_ZEROS = bytes(_EQUAL_RUN)
_NOT_ZERO = re.compile(rb"[^\x00]")
_ZERO_RUN = re.compile(re.escape(_ZEROS) + rb"\x00*")  # a literal prefix: re searches for it fast
_SWITCH_AFTER = 32


@dataclass(frozen=True)
class Cleaned:
    """A cleaned string and what the sanitiser did to it."""

    text: str
    removed: dict[str, int] = field(default_factory=dict)
    """Characters removed, by class (`zero_width`, `bidi`, `tag`, `repeat`, `whitespace`, ...)."""
    cut: bool = False
    flags: tuple[str, ...] = ()
    """Injection signals found in `text` (see `tools.injection`)."""


def _count(removed: dict[str, int], name: str, before: int, after: int) -> None:
    if before != after:
        removed[name] = removed.get(name, 0) + before - after


def _line_breaks(text: str) -> str:
    if text.isascii():
        return (
            text.replace("\r\n", "\n").translate(_ASCII_BREAKS)
            if "\r" in text or "\x0b" in text or "\x0c" in text
            else text
        )
    for brk in _LINE_BREAKS:
        if brk in text:
            text = text.replace(brk, "\n")
    return text


def _classify(gone: str, removed: dict[str, int]) -> None:
    """Count removed characters by class: one regex pass per class over the removed text only
    (the last class takes what the others left). A class of a few code points is counted with
    str.count instead: no cost per run when its characters alternate with another class's."""
    left = len(gone)
    for name, pattern in _EACH[:-1]:
        if not left:
            return
        if name in _FEW_POINTS:
            count = sum(gone.count(ch) for ch in _FEW_POINTS[name])
        else:
            rest = pattern.sub("", gone)
            count, gone = len(gone) - len(rest), rest
        _count(removed, name, left, left - count)
        left -= count
    _count(removed, _EACH[-1][0], left, 0)


def _remove(text: str, runs: re.Pattern[str], removed: dict[str, int]) -> str:
    parts = runs.split(text)
    if len(parts) == 1:
        return text
    _classify("".join(parts[1::2]), removed)
    return "".join(parts[0::2])


def _keep_flag(match: re.Match[str]) -> str:
    return match.group(1) or ""


def _remove_invisible(text: str, removed: dict[str, int]) -> str:
    """Steps 2 and 3 for text that is not ASCII."""
    if _PLANE_14_SUSPECT.search(text) is None:
        text = _remove(text, _BMP_RUNS, removed)
    elif _FLAG in text:  # keep subdivision flags: their tag characters are not padding
        before = len(text)
        text = _TAGS.sub(_keep_flag, text)
        _count(removed, "tag", before, len(text))
        text = _remove(text, _BESIDE_FLAGS_RUNS, removed)
    else:
        text = _remove(text, _WITH_PLANE_14_RUNS, removed)
    if _RARE_SUSPECT.search(text):
        text = _remove(text, _RARE_RUNS, removed)
    if "\u200d" in text:
        before = len(text)
        text = _STRAY_ZWJ.sub("", text)
        _count(removed, "zero_width", before, len(text))
    if "\ufe0f" in text or "\ufe0e" in text:
        before = len(text)
        text = _STRAY_PRESENTATION.sub("", text)
        _count(removed, "variation_selector", before, len(text))
    return text


def _strip_invisible(text: str, removed: dict[str, int]) -> str:
    if text.isascii():
        if not text.isprintable():
            before = len(text)
            text = text.translate(_ASCII_CONTROLS)
            _count(removed, "control", before, len(text))
        return text
    text = _remove_invisible(text, removed)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _one_byte_per_char(text: str) -> bytes:
    """Bytes that are equal wherever the characters are (the low byte of each code point)."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-32-le", "surrogatepass")[0::4]


def _zero_runs(diff: bytes, last: int) -> list[tuple[int, int]]:
    """Runs of `_EQUAL_RUN`+ zero bytes before `last`: bytes.find() skips ordinary text fastest,
    a regex with a literal prefix walks dense padding fastest; switch after a few runs."""
    runs: list[tuple[int, int]] = []
    start = diff.find(_ZEROS, 0, last)
    while start >= 0:
        if len(runs) == _SWITCH_AFTER:
            return runs + [m.span() for m in _ZERO_RUN.finditer(diff, start, last)]
        stop = _NOT_ZERO.search(diff, start, last)
        end = stop.start() if stop else last
        runs.append((start, end))
        start = diff.find(_ZEROS, end, last)
    return runs


def _periodic_windows(text: str) -> list[tuple[int, int]]:
    """Spans, merged, that hold every run of a unit of <= 8 characters repeated 16+ times.

    XOR the text's bytes with themselves shifted by 5, 6, 7 and 8: a zero byte is a place where
    the text equals itself shifted, and every such run makes `_EQUAL_RUN`+ zeros in a row for
    the shift that is a multiple of its unit.
    """
    data = _one_byte_per_char(text)
    n = len(data)
    whole = int.from_bytes(data, "little")
    spans: list[tuple[int, int]] = []
    for shift in _SHIFTS:
        diff = (whole ^ (whole >> (8 * shift))).to_bytes(n, "little")
        spans += [(lo, hi + shift) for lo, hi in _zero_runs(diff, n - shift)]
    spans.sort()
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _run_end(text: str, unit: str, end: int, limit: int) -> int:
    """Extend a run of `unit` from `end` as far as it goes before `limit` (doubling, then halving)."""
    if len(unit) == 1:
        rest = text[end:limit]
        return limit - len(rest.lstrip(unit))
    step = 16
    while step:
        stop = end + step * len(unit)
        if stop <= limit and text.startswith(unit * step, end):
            end = stop
            step *= 2
        else:
            step //= 2
    return end


def _collapse_window(text: str, lo: int, hi: int, out: list[str]) -> int:
    """Append text[lo:hi] with each run of 16+ units cut to 3 units; return where it stopped."""
    pos = lo
    while (match := _REPEAT16.search(text, pos, hi)) is not None:
        unit = match.group(1)
        end = _run_end(text, unit, match.end(), hi)
        out += [text[pos : match.start()], unit * _REPEAT_KEEP]
        pos = end
    return pos


def _period(text: str, lo: int, hi: int) -> int:
    """The smallest unit length <= 8 that text[lo:hi] repeats throughout, else 0."""
    for k in range(1, 9):
        if hi - lo >= 2 * k and text.startswith(text[lo + k : hi], lo):
            return k
    return 0


def _collapse_repeats(text: str) -> str:
    """Cut every run of a 1-8 character unit repeated 16+ times to 3 units: the same result as
    `re.sub(r"(.{1,8}?)\\1{15,}", unit * 3)` (leftmost run, shortest unit), run only in the windows
    `_periodic_windows` found. A window that is one unit throughout, the common case, needs no regex."""
    if len(text) < 16:
        return text
    out: list[str] = []
    pos = 0
    for lo, hi in _periodic_windows(text):
        out.append(text[pos:lo])
        unit = _period(text, lo, hi)
        if unit:
            units = (hi - lo) // unit
            out.append(
                text[lo : lo + unit * _REPEAT_KEEP] + text[lo + units * unit : hi]
                if units >= 16
                else text[lo:hi]
            )
            pos = hi
        else:
            pos = _collapse_window(text, lo, hi, out)
    out.append(text[pos:])
    return "".join(out) if len(out) > 1 else text


def _collapse(text: str, removed: dict[str, int]) -> str:
    """Step 5. Whitespace first, then repeats until none is left: cutting a run can line up a new
    one ("ab" * 16 + "b" * 15), never a new space run (the characters around a run do not change)."""
    before = len(text)
    if "  " in text or "\t" in text or (not text.isascii() and _OTHER_SPACE.search(text)):
        text = _SPACES.sub(" ", text)  # now no two spacing characters are neighbours
    if "\n" in text:
        text = text.replace(" \n", "\n").replace("\t\n", "\n")
        if not text.isascii():
            text = _OTHER_TRAILING.sub("\n", text)
        if "\n\n\n" in text:
            text = _BLANK_LINES.sub("\n\n", text)
    text = text.strip()
    _count(removed, "whitespace", before, len(text))
    before = len(text)
    while (shorter := _collapse_repeats(text)) != text:
        text = shorter
    _count(removed, "repeat", before, len(text))
    return text


def _pipeline(text: str, removed: dict[str, int]) -> str:
    return _collapse(_strip_invisible(_line_breaks(text), removed), removed)


def _clean_text(text: str, source: str) -> tuple[str, dict[str, int], bool]:
    removed: dict[str, int] = {}
    text = _pipeline(text, removed)
    limit = LIMITS.get(source, LIMITS["tool"])
    if len(text) <= limit:
        return text, removed, False
    head = text[: limit - len(CUT_MARKER)]
    space = head.rfind(" ", len(head) - 16)
    if space > 0 and not text[len(head)].isspace():  # end on a whole word when one ends nearby
        head = head[:space]
    head = head.rstrip()
    # the head may end inside an emoji sequence or a run: one more pass makes the result a fixpoint
    return _pipeline(head + CUT_MARKER, removed), removed, True


def clean(text: str, source: str = "customer") -> Cleaned:
    """Return `text` with invisible characters removed, padding collapsed and length capped.

    `source` picks the cap (`LIMITS`); the injection flags are those of the capped text, the only
    text a model reads.
    """
    cleaned, removed, cut = _clean_text(text, source)
    return Cleaned(cleaned, removed, cut, signals(cleaned, third_party=source in THIRD_PARTY))


def clean_fields(obj: Any, source: str = "tool") -> Any:
    """Return a copy of a JSON-like value with every string (not the keys) cleaned for `source`."""
    if isinstance(obj, str):
        return _clean_text(obj, source)[0]
    if isinstance(obj, dict):
        return {
            key: value if key in VERBATIM_KEYS else clean_fields(value, source) for key, value in obj.items()
        }
    if isinstance(obj, list):
        return [clean_fields(value, source) for value in obj]
    return obj
