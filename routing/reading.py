"""Reading a customer's message: the asks the trained router finds in it, with their entities.

Deterministic and pure (the model fallback lives in `nodes.route`). A message is cut into
segments by `routing.classifier`; each segment labelled with a router label is an ask (`Intent`), a
segment labelled `none` is text that asks nothing ("yes please", "it is #1001"): the answer a
waiting workflow gets. An ask owns the text from its start to the next ask's start (the first
ask also owns what comes before it); its entities are found there.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NotRequired

from typing_extensions import TypedDict

from routing.classifier import NONE, RouterModel, Span, load_model
from routing.features import tokenize
from routing.ids import EMAIL, SUBSCRIPTION_ID, TRACKING_NUMBER, order_pattern
from routing.person import PERSON_WORDS
from routing.silence import is_bare_thanks

ENTITY_PATTERNS: dict[str, re.Pattern[str]] = {
    "order_number": order_pattern(),
    "subscription_id": re.compile(f"({SUBSCRIPTION_ID})"),
    "email": re.compile(rf"\b({EMAIL})\b"),
    "tracking_number": re.compile(f"({TRACKING_NUMBER})"),
}
"""Entity -> pattern (`routing/ids.py`); group 1 is the value."""

CONFIDENCE_DIGITS = 2


class Intent(TypedDict):
    """One ask found in the customer's message (the turn state's `intents` holds these)."""

    name: str
    confidence: float
    entities: dict[str, str]
    position: int
    """Where the ask starts in the message: `compose` answers in the customer's order."""
    handoff_reason: NotRequired[str]
    """Set by the router on a `handoff` ask it decided itself (`language`: the brand does not
    serve the message's language); `dispatch` hands off with this reason."""


@dataclass(frozen=True)
class Reading:
    """What the router read in one message."""

    text: str
    segments: list[Span]
    intents: list[Intent]
    """The asks, in the customer's order: one per run of segments with the same router label."""
    uncertain: list[Span]
    """The segments the classifier is not confident about: a doubtful label, or a possible second
    ask hidden inside (see `RouterModel.threshold` and `RouterModel.min_margin`)."""
    answer: Intent | None
    """The first part that asks nothing (named `none`), with its position and entities, if any."""


def entities_in(text: str) -> dict[str, str]:
    """The first value of every entity found in `text`."""
    found: dict[str, str] = {}
    for name, pattern in ENTITY_PATTERNS.items():
        match = pattern.search(text)
        if match:
            found[name] = match.group(1)
    return found


def _owned(text: str, segments: Sequence[Span], index: int) -> str:
    """The text an ask owns: from its start (or the message start) up to the next ask."""
    asks = [i for i, s in enumerate(segments) if s.label != NONE]
    later = [segments[i].start for i in asks if i > index]
    start = 0 if asks and asks[0] == index else segments[index].start
    return text[start : later[0] if later else len(text)]


def _intent(text: str, segments: Sequence[Span], index: int, owned: bool) -> Intent:
    seg = segments[index]
    region = _owned(text, segments, index) if owned else text[seg.start : seg.end]
    return Intent(
        name=seg.label,
        confidence=round(seg.confidence, CONFIDENCE_DIGITS),
        entities=entities_in(region),
        position=seg.start,
    )


def add_ask(intents: list[Intent], ask: Intent) -> None:
    """Append `ask`, or fold it into an earlier ask of the same name: one workflow run per name."""
    for i, earlier in enumerate(intents):
        if earlier["name"] == ask["name"]:
            intents[i] = Intent(
                name=earlier["name"],
                confidence=max(earlier["confidence"], ask["confidence"]),
                entities={**ask["entities"], **earlier["entities"]},
                position=earlier["position"],
            )
            return
    intents.append(ask)


_SHAPES = frozenset({"_num_", "_subid_", "_email_"})
_CALL = (
    r"(?:call|use|invoke|run|execute|trigger)\s+(?:the\s+)?(?:tool\s+|function\s+)?[`'\"]?"
    r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+[`'\"]?\s*(?:with\s*)?[({]"
)
"""A planted tool call's opening ("call get_order {"): an instruction for a model, not a customer's
ask (the sanitiser flags it as `tool_call`)."""
_CODE_CALL = re.compile(rf"^\W*{_CALL}", re.IGNORECASE)
"""A part that opens with a planted tool call."""
_CODE_CALL_SPAN = re.compile(rf"\b{_CALL}[^)}}]*[)}}]?", re.IGNORECASE)
"""A planted tool call with its arguments, wherever it sits: a cut inside it cuts nothing."""


def _ids_with_their_ask(text: str, segments: list[Span]) -> list[Span]:
    """A part that is only ids ("1001", "sub_501") beside an ask belongs to that ask ("where is my
    order | 1001"): an id alone asks nothing only when it is the whole message (an answer). So does
    a part with a number that goes on the ask's sentence ("... to 500 Oak Road, Springfield | IL
    62704"): an address or an amount, not an answer to a waiting workflow. So does a planted tool call
    ("my parcel is late. | call get_order {...}"), whatever its words weigh, and so does every part
    cut inside a planted call's arguments ('... call exchange_items {"order_number" | "1004"}')."""
    out: list[Span] = []
    calls = [(m.start(), m.end()) for m in _CODE_CALL_SPAN.finditer(text)]
    for i, seg in enumerate(segments):
        if out and any(a < seg.start < b for a, b in calls):  # inside a planted call's arguments
            out[-1] = replace(out[-1], end=seg.end)
            continue
        norms = {t.norm for t in tokenize(text[seg.start : seg.end])}
        same_sentence = bool(out) and not re.search(r"[.!?\n]", text[out[-1].end : seg.start])
        if seg.label == NONE and "_num_" in norms and same_sentence and out[-1].label != NONE:
            out[-1] = replace(out[-1], end=seg.end)
            continue
        only_ids = norms <= _SHAPES
        code_call = bool(_CODE_CALL.match(text[seg.start : seg.end]))
        if (code_call or (seg.label == NONE and only_ids)) and len(segments) > 1:
            if out and out[-1].label != NONE:
                out[-1] = replace(out[-1], end=seg.end)
                continue
            later = next((j for j in range(i + 1, len(segments)) if segments[j].label != NONE), None)
            if later is not None:
                segments[later] = replace(segments[later], start=seg.start)
                continue
        out.append(seg)
    return out


_LEAD = frozenset(
    {"please", "pls", "no", "but", "and", "so", "oh", "ok", "i", "im", "am", "we", "were", "do", "just"}
)
_NEGATION = frozenset({"dont", "not"})
_WANTING = frozenset(
    {"want", "wanna", "need", "asking", "looking", "trying", "planning", "interested", "after"}
)
"""What may stand between a negation and the ask it refuses ("don't want a refund"); any other word
means the negation is about something else ("not received my refund" is an ask)."""
_ASK_VERB = re.compile(r"cancel|refund|return|exchang|swap|replac")
_CLAUSE_BREAKS = ",.;!?\n"
NEGATION_REACH = 4
"""Words a negation may stand before the ask word it negates ("I'm not asking for a refund")."""


def _clause_at(text: str, at: int) -> str:
    """The clause of `text` that holds position `at` (clauses end at punctuation or a new line)."""
    start = max(text.rfind(c, 0, at) for c in _CLAUSE_BREAKS) + 1
    ends = [i for i in (text.find(c, at) for c in _CLAUSE_BREAKS) if i >= 0]
    return text[start : min(ends, default=len(text))]


def _refusal(clause: str, router: RouterModel) -> str | None:
    """The ask a clause opens by refusing, if it does: "please don't cancel my subscription", "not
    cancelling my order", "I don't want a refund" (a negation among its first words, an ask word
    soon after it); the refused ask is the clause's likeliest ask (the refusal itself may read as
    asking nothing)."""
    norms = [t.norm for t in tokenize(clause)]
    lead = 0
    while lead < len(norms) and norms[lead] in _LEAD and norms[lead] not in _NEGATION:
        lead += 1
    if lead >= len(norms) or norms[lead] not in _NEGATION or lead > 3:
        return None
    after = norms[lead + 1 : lead + 1 + NEGATION_REACH]
    if not after or not (after[0] in _WANTING or _ASK_VERB.match(after[0])):
        return None
    if not any(_ASK_VERB.match(n) for n in after):
        return None
    probs = router.probabilities(norms)
    return max((lab for lab in probs if lab != NONE), key=probs.__getitem__)


def _negated(text: str, seg: Span, router: RouterModel) -> bool:
    """The clause a segment starts in opens by refusing the segment's ask (`_refusal`)."""
    return _refusal(_clause_at(text, seg.start), router) == seg.label


def refused_labels(text: str, router: RouterModel) -> frozenset[str]:
    """Every ask a clause of `text` opens by refusing ("I'm not after a refund", "Please do not
    cancel it"): the model fallback never adds one of them (nodes/route.py `with_model_labels`)."""
    clauses = re.split(f"[{re.escape(_CLAUSE_BREAKS)}]", text)
    return frozenset(label for clause in clauses if (label := _refusal(clause, router)) is not None)


def _refused_asks(text: str, segments: list[Span], router: RouterModel) -> list[Span]:
    """An ask the customer refuses beside another ask asks nothing: "please don't cancel my
    subscription, I just want to skip a month", "I don't want a refund, swap it for the black one".
    A refusal alone stays an ask (when in doubt an ask is kept, and the model may be asked)."""
    refused = [seg.label != NONE and _negated(text, seg, router) for seg in segments]
    kept = {seg.label for seg, no in zip(segments, refused, strict=True) if seg.label != NONE and not no}
    return [
        replace(seg, label=NONE) if no and kept - {seg.label} else seg
        for seg, no in zip(segments, refused, strict=True)
    ]


_ADDRESSEE = (
    r"(?:customers?|clients?|support|service|services|care|team|help|desk|department|sir|madam|all"
    r"|there|everyone|folks|guys|friends|the|and|or|of|shop|store|(?-i:[A-Z][^\W\d_]*))"
)
"""Who a salutation may name: a team, a shop, or a name (a capitalised word: "Dear Acme", "Hi Sam")."""
_SALUTATION = re.compile(
    rf"^\W*(?:dear|hello|hi|hiya|hey|greetings|good\s+(?:morning|afternoon|evening|day)|to)\b"
    rf"(?:[\s,/&]+(?!{PERSON_WORDS}\b){_ADDRESSEE}(?:'s)?\b){{0,5}}[\s,.:;!-]*$",
    re.IGNORECASE,
)
"""A part that is only a letter's salutation ("Dear Acme customer service,", "Hello support team"):
it names who is written to and asks nothing (a letter's "Dear customer service" read as a request
for a person on contact-form letters). A salutation naming a person to talk to is not one of these
("hi, agent please")."""


def _salutations(text: str, segments: list[Span]) -> list[Span]:
    """Every ask part that is only a salutation asks nothing."""
    return [
        replace(seg, label=NONE)
        if seg.label != NONE and _SALUTATION.match(text[seg.start : seg.end])
        else seg
        for seg in segments
    ]


def read_message(text: str, model: RouterModel | None = None) -> Reading:
    """Segment `text` and turn its segments into asks, doubtful parts and the answer part.

    A message that is only thanks ("perfect, thank you very much", `routing.silence`) asks nothing
    whatever its words weigh."""
    router = model or load_model()
    segments = router.segment(text)
    if segments and is_bare_thanks(text):
        segments = [Span(NONE, 1.0, segments[0].start, segments[-1].end, math.inf)]
    segments = _ids_with_their_ask(text, list(segments))
    segments = _refused_asks(text, segments, router)
    segments = _salutations(text, segments)
    intents: list[Intent] = []
    uncertain: list[Span] = []
    answer: Intent | None = None
    for i, seg in enumerate(segments):
        is_ask = seg.label != NONE
        if is_ask:
            add_ask(intents, _intent(text, segments, i, owned=True))
        elif answer is None:
            answer = _intent(text, segments, i, owned=False)
        if seg.confidence < router.threshold or (is_ask and seg.margin < router.min_margin):
            uncertain.append(seg)
    return Reading(text, segments, _with_unwanted_order(text, segments, intents, router), uncertain, answer)


CANCEL_ORDER = "cancel_order"
_UNWANTED_ORDER = re.compile(
    r"\b(?:do\s+not|don'?t|no\s+longer)\s+(?:want|need)\s+(?:the\s+|my\s+|this\s+|that\s+)?order"
    r"(?:\s+#?\d{4,10})?(?:\s+any\s?more)?(?=\s*$|\s*[,.;!?]|\s+and\b)",
    re.IGNORECASE,
)
"""Refusing an order, said whole: "I don't want order 1002 anymore", "I do not want the order"."""


def _with_unwanted_order(
    text: str, segments: Sequence[Span], intents: list[Intent], router: RouterModel
) -> list[Intent]:
    """An order the customer says they no longer want is an ask to cancel it, whatever else the part
    it is in reads as: the artefact of T1-T7 read "I don't want order 1002 anymore, and where is
    1001?" whole as `order_status`, and the order stayed. It is placed where its part starts."""
    match = _UNWANTED_ORDER.search(text)
    if match is None or CANCEL_ORDER not in router.labels or any(i["name"] == CANCEL_ORDER for i in intents):
        return intents
    at = max((s.start for s in segments if s.start <= match.start()), default=match.start())
    ask = Intent(name=CANCEL_ORDER, confidence=1.0, entities=entities_in(match.group(0)), position=at)
    later = [i for i in intents if i["position"] >= ask["position"]]
    return [*(i for i in intents if i["position"] < ask["position"]), ask, *later]


def find_intents(text: str) -> list[Intent]:
    """Every ask in `text`, in the order the customer asked them (the classifier alone)."""
    return read_message(text).intents


def probability_of(text: str, label: str, model: RouterModel | None = None) -> float:
    """The classifier's probability that `text`, read as one ask, is `label`."""
    model = model or load_model()
    return model.probabilities([t.norm for t in tokenize(text)]).get(label, 0.0)
