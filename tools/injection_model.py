"""The learned half of the injection meter: a linear model over words and character n-grams.

`score(folded)` is the probability that a text is an instruction meant for the assistant (an
injection) rather than a customer's message, a carrier's event or a delivery note; `flagged(folded)`
compares it with the threshold chosen when the model was trained. The text given is already folded
(`tools.injection.fold`). The weights are data, `tools/injection_model.json`, written offline by
`make train-detector` (`bench/injection_train.py`, scikit-learn); reading them needs nothing but the
standard library, and `features` is the one function both sides use, so training and run time can
never read a text differently.

A text's features are a set (present or not): `w:` words, `b:` word pairs, `c:` character
`CHARS`-grams of the words joined by single spaces; digits read as `0`; `f:` the first word and the
first two words; `q:?` when the text ends with a question mark; `k:<class>` for each class of
`CUES` (what a text asks for: a language, a piece of writing, code, an explanation, ...) it has a
word of, and `k:<class>@0` when its first word is one; `o:<q>` for each step `q` of `OOV_STEPS`
that the share of the text's content words (not `STOPWORDS`) outside the artefact's `domain` (the
words of the benign training texts: customer messages, notes, emails) reaches; and `x:<kind>`,
`x:<kind>:<q>`: how the text opens (after "please", "kindly", ...: an order, `imp`, a verb of
`IMPERATIVES`; a question, `ask`; `other`) alone and with each step of that share; and `e:<kind>`,
`e:<opening>:<kind>` for each kind of thing the text names (`ENTITIES`: an email address, a URL, an
amount, an identifier, a long number, a `#channel`, a quoted string). Injections talk
about other things than orders and parcels, so that share says much, and most when the text gives
an order or asks a question: "Book a table for six" or "How do I solve quadratic equations?" is no
note, "Leave it in the porch" or "how do I delete my account?" is one. A linear model cannot join
two features itself, hence `x:`. The vector is L2-normalised, so the score is
`sigmoid(bias + sum(weights of the features present) / sqrt(number of features))`.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from functools import cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "injection_model.json"
FIELD_MODEL_PATH = Path(__file__).resolve().parent / "injection_field_model.json"
"""The field model: the same features, trained on instructions planted in names, titles, addresses,
statuses and notes (`make train-detector`, `bench/injection_train.py --field`). A text is flagged
when either model flags it."""
MIN_WORDS = 4
"""Shorter texts ("amazing", "FedEx Pak") are not scored by the first model: too few features to say
anything about a request to an assistant."""
FIELD_MIN_WORDS = 2
"""The field model reads texts of 2 words or more: a name or a status holds a short command ("tell
the customer it shipped"), and it learned short benign values (names, statuses, titles) beside them."""
MIN_BESIDES = 2
"""Of them, how many besides the email addresses and URLs (`scored`)."""
MAX_CHARS = 2000
"""Only the first characters are read: enough for any note or event, and the cost stays small."""

CHARS = 5
"""Character n-grams of this length only: shorter ones outnumber the words and cues in a short text
and drown them in the normalised vector (measured out of fold on the tune split: 3- to 5-grams
gave 83.8 % recall on BIPIA's text attacks, 5-grams alone 91.2 %)."""
OOV_STEPS = (0.35, 0.5, 0.65, 0.8)
STOPWORDS = frozenset(  # left out of the share of words outside the domain: every text has them
    "a an the and or but if of to in on at by for with from as into about over after before up down out off than"
    " then so too very just not no nor only own same such this that these those there here it its it's i me my we"
    " our you your he him his she her they them their what which who whom whose why how when where is are was were"
    " be been being am do does did have has had having can could would should will shall may might must please"
    " 0 s t all any each every some most more other".split()
)

CUES: dict[str, frozenset[str]] = {
    "language": frozenset(
        "english spanish french german italian portuguese dutch russian polish ukrainian czech greek turkish arabic"
        " hebrew persian hindi urdu bengali punjabi tamil chinese mandarin cantonese japanese korean thai vietnamese"
        " indonesian malay swahili swedish norwegian danish finnish hungarian romanian latin esperanto morse"
        " base64 binary hexadecimal pig".split()
    ),
    "writing": frozenset(
        "essay poem poems story stories letter article blog tweet speech slogan haiku limerick song lyrics sonnet"
        " novel paragraph sentence sentences summary synopsis outline review riddle joke jokes recipe script"
        " headline caption tagline pitch advertisement ad biography".split()
    ),
    "code": frozenset(
        "python javascript java sql html css regex code coding function program programming script algorithm"
        " command terminal bash shell linux windows macos cmd powershell compile variable loop api database"
        " server download install software malware virus".split()
    ),
    "knowledge": frozenset(
        "explain describe define compare contrast analyze analyse discuss summarize summarise elaborate evaluate"
        " illustrate interpret classify determine calculate solve recommend suggest translate convert encode"
        " decode rewrite paraphrase reverse spell list name identify".split()
    ),
    "addressee": frozenset("ai assistant chatbot bot model gpt llm agent".split()),
    "question": frozenset("what who whom whose why how which".split()),
}
"""Word classes that say what a text asks for (`k:` features): in a field of an order or a parcel
nobody asks for a language, a piece of writing, code, an explanation, or addresses an assistant;
a class generalises beyond the words of the training texts."""

IMPERATIVES = frozenset(
    "add answer act apply ask begin book buy calculate call cancel change check classify close combine compare compose"
    " convert copy create delete deliver deposit describe disable discuss dispatch do download draft drop email enable"
    " encode end explain find forward generate get give go grant help identify include increase insert invite leave"
    " list look make mark mention merge modify move name open outline pay plan play post predict pretend produce"
    " provide put recommend remove rent replace reply reserve reset respond retrieve reveal reverse review rewrite"
    " say schedule search sell send set share show sign solve spell start suggest summarise summarize switch take"
    " teach tell transfer translate turn unlock update upload use visit withdraw write".split()
)
"""Verbs that open an order; with `x:` features, an order whose words lie outside the benign domain."""
_OPENERS = frozenset("please kindly now immediately quickly urgent".split())
_ASKS = frozenset(
    "what who whom whose why how which when where is are can could would will do does did".split()
)

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_DIGIT = re.compile(r"\d")

ENTITIES: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "url": re.compile(r"(?:https?://|www\.)\S|\w\.(?:com|net|org|io|xyz|info|biz|ru)\b"),
    "money": re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:usd|eur|gbp|dollars|euros|btc|eth|bitcoin)\b"),
    "id": re.compile(r"\b(?=[a-z_-]*\d)(?=[\d_-]*[a-z])[a-z\d]+(?:[_-][a-z\d]+)+\b|\b[a-z]+_[a-z\d_]+\b"),
    "number": re.compile(r"\b[a-z]{2}\d{2}[a-z\d]{10,30}\b|\b\d[\d -]{6,}\d\b"),
    "tag": re.compile(r"(?<![\w&])#[a-z][\w-]+"),
    "quote": re.compile(r"['\"“‘][^'\"“”‘’\n]{3,80}['\"”’]"),
}
"""What kinds of thing a text names (`e:` features, alone and with how it opens): an agent's goal
names addresses, amounts, identifiers, channels and quoted strings more than a note does. A URL is
looked for once the email addresses are taken out; each kind is looked for only where the character
it needs is there (`_needs`), which keeps the cost small."""


def _needs(text: str) -> dict[str, bool]:
    digits = _DIGIT.search(text) is not None
    return {
        "email": "@" in text,
        "url": "." in text,
        "money": digits,
        "id": digits or "_" in text,
        "number": digits,
        "tag": "#" in text,
        "quote": True,
    }


def _unaddressed(text: str) -> tuple[str, list[str]]:
    """`text` without its email addresses and URLs, and which of the two it had."""
    had = []
    if "@" in text and ENTITIES["email"].search(text):
        had.append("email")
        text = ENTITIES["email"].sub(" ", text)
    if "." in text and ENTITIES["url"].search(text):
        had.append("url")
        text = re.sub(r"(?:https?://|www\.)\S+|[\w.-]*\w\.(?:com|net|org|io|xyz|info|biz|ru)\b\S*", " ", text)
    return text, had


def named(folded: str) -> list[str]:
    """The kinds of `ENTITIES` a folded text names."""
    text = folded[:MAX_CHARS]
    rest, found = _unaddressed(text)
    needed = _needs(rest)
    return found + [
        name
        for name, entity in ENTITIES.items()
        if name not in ("email", "url") and needed[name] and entity.search(rest)
    ]


def words_of(folded: str) -> list[str]:
    return _WORD.findall(_DIGIT.sub("0", folded[:MAX_CHARS]))


def features(folded: str, domain: frozenset[str]) -> set[str]:
    """Every feature of a folded text (see the module docstring)."""
    words = words_of(folded)
    found = {f"w:{w}" for w in words}
    found.update(f"b:{a} {b}" for a, b in itertools.pairwise(words))
    line = f" {' '.join(words)} "
    found.update(f"c:{line[i : i + CHARS]}" for i in range(len(line) - CHARS + 1))
    if words:
        content = [w for w in words if w not in STOPWORDS] or words
        outside = sum(w not in domain for w in content) / len(content)
        found.update(f"o:{q}" for q in OOV_STEPS if outside >= q)
        found.add(f"f:{words[0]}")
        found.add(f"f:{' '.join(words[:2])}")
        found.update(f"k:{name}" for name, cue in CUES.items() if not cue.isdisjoint(words))
        found.update(f"k:{name}@0" for name, cue in CUES.items() if words[0] in cue)
        first = next((w for w in words if w not in _OPENERS), words[0])
        kind = "imp" if first in IMPERATIVES else "ask" if first in _ASKS else "other"
        found.add(f"x:{kind}")
        found.update(f"x:{kind}:{q}" for q in OOV_STEPS if outside >= q)
        kinds = named(folded)
        found.update(f"e:{name}" for name in kinds)
        found.update(f"e:{kind}:{name}" for name in kinds)
    if folded.rstrip().endswith("?"):
        found.add("q:?")
    return found


class Model:
    """Weights, bias and threshold as read from the JSON artefact."""

    def __init__(self, data: dict) -> None:
        self.weights: dict[str, float] = data["weights"]
        self.bias = float(data["bias"])
        self.threshold = float(data["threshold"])
        self.domain = frozenset(data["domain"])
        self.min_words = int(data.get("min_words", MIN_WORDS))

    def flags(self, folded: str) -> bool:
        return reads(folded, self.min_words) and self.score(folded) >= self.threshold

    def score(self, folded: str) -> float:
        found = features(folded, self.domain)
        if not found:
            return 0.0
        total = sum(self.weights.get(f, 0.0) for f in found) / math.sqrt(len(found))
        return 1.0 / (1.0 + math.exp(-(self.bias + total)))


@cache
def model() -> Model:
    return Model(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


@cache
def field_model() -> Model:
    return Model(json.loads(FIELD_MODEL_PATH.read_text(encoding="utf-8")))


def score(folded: str) -> float:
    return model().score(folded)


def reads(folded: str, min_words: int) -> bool:
    """Whether a model that reads texts of `min_words` words or more reads this one: that many words,
    and `MIN_BESIDES` of them besides its email addresses and URLs (a bare "mark.davies@hotmail.com"
    is a field's value, not four words; "Visit www.example.com now" is read)."""
    if len(words_of(folded)) < min_words:
        return False
    return len(words_of(_unaddressed(folded[:MAX_CHARS])[0])) >= MIN_BESIDES


def scored(folded: str) -> bool:
    """Whether the first model reads this text at all (`MIN_WORDS`)."""
    return reads(folded, MIN_WORDS)


def flagged(folded: str) -> bool:
    """Whether either model flags this third-party text."""
    return model().flags(folded) or field_model().flags(folded)
