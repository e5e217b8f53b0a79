"""Which language a customer's message is written in, when we are sure enough to act on it.

A kept library does the reading: py3langid (BSD-3-Clause, a maintained fork of langid.py: a naive
Bayes model over character n-grams, shipped inside the package, so nothing is fetched at run time).
A message counts as foreign only when it has at least `MIN_WORDS` words and the library puts at
least `MIN_CONFIDENCE` of its probability on languages the brand does not serve (the decision is
served or not: "¿Dónde está mi pedido?" is Spanish, Galician or Catalan to the library, surely not
English), and at least `MIN_CONFIDENCE_SHORT` under `SHORT_WORDS` words (a text-speak line such as
"do u accept klarna" is 0.95 not English to the library; a real foreign line of that length is
0.999): a short "ok merci" or a typo-ridden English line is never handed off for its language.
Shorter messages are judged only when they are nothing but a greeting or a thank-you that is not
English (`GREETINGS`: "Bonjour", "Hola!", "Guten Tag", "danke"): a word list, not the detector,
which cannot read two words. Pure but for loading the library's model once per process, on import (~1 s).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

MIN_WORDS = 3
MIN_CONFIDENCE = 0.9
SHORT_WORDS = 6
MIN_CONFIDENCE_SHORT = 0.99
"""The fewer the words, the less the library's reading is worth: under `SHORT_WORDS` words it must be
surer."""
LANGUAGES = (
    "en de fr es it pt nl sv da no fi pl cs sk hu ro bg hr sl sr lt lv et el ru uk tr ar he fa hi "
    "zh ja ko vi th id ms tl ca eu gl ga cy is"
).split()
"""The languages the detector chooses among: the ones customers write to a Western shop in; fewer
candidates means fewer short English lines read as something exotic."""
GREETINGS: dict[str, str] = {
    "bonjour": "fr", "bonsoir": "fr", "coucou": "fr", "salut": "fr", "allô": "fr",
    "hola": "es", "buenas": "es", "buenos días": "es", "buenos dias": "es", "buenas tardes": "es",
    "buenas noches": "es", "guten tag": "de", "guten morgen": "de", "guten abend": "de", "grüß gott": "de",
    "servus": "de", "moin": "de", "moin moin": "de", "buongiorno": "it", "buonasera": "it",
    "salve": "it", "olá": "pt", "ola": "pt", "bom dia": "pt", "boa tarde": "pt", "boa noite": "pt",
    "goedemorgen": "nl", "goedemiddag": "nl", "goedenavond": "nl", "goedendag": "nl", "hallo": "de",
    "hej": "sv", "hejsan": "sv", "god dag": "sv", "dzień dobry": "pl", "cześć": "pl", "merhaba": "tr",
    "privet": "ru", "привет": "ru", "здравствуйте": "ru", "namaste": "hi", "konnichiwa": "ja",
    "こんにちは": "ja", "你好": "zh", "안녕하세요": "ko", "ciao": "it", "arrivederci": "it",
    "merci": "fr", "merci beaucoup": "fr", "gracias": "es", "muchas gracias": "es", "danke": "de",
    "danke schön": "de", "danke schon": "de", "dankeschön": "de", "vielen dank": "de", "grazie": "it",
    "grazie mille": "it", "obrigado": "pt", "obrigada": "pt", "muito obrigado": "pt",
    "muito obrigada": "pt", "dank je": "nl", "dank je wel": "nl", "dank u": "nl", "dank u wel": "nl",
    "bedankt": "nl", "tack": "sv", "tack så mycket": "sv", "dziękuję": "pl", "спасибо": "ru",
    "teşekkürler": "tr", "arigato": "ja", "ありがとう": "ja", "谢谢": "zh", "감사합니다": "ko",
}  # fmt: skip
"""Greetings and thanks that are not English, by language: a message that is only one of them (with
punctuation, an emoji or a form of address) is in that language, however short. Not "oi" (English
speakers write it too); "ciao" and "merci" are in: a message that is only that word is written in
that language, as the labelling guide counts it."""
_GREETING = re.compile(
    r"^\W*("
    + "|".join(sorted((re.escape(g).replace("\\ ", r"\s+") for g in GREETINGS), key=len, reverse=True))
    + r")"
    r"(?:\W+(?:a\s+todos|à\s+tous|zusammen|a\s+tutti|allemaal|madame|monsieur|señor|señora))?\W*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{2,}")
_IDS = re.compile(r"\bsub_\w+|[\w.+-]+@[\w-]+\.[\w.-]+|#?\d+")


@cache
def _identifier() -> LanguageIdentifier:
    found = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    found.set_languages(LANGUAGES)
    return found


_identifier()  # loaded on import, never inside a running event loop (a file read and decompression)


def detect(text: str) -> tuple[str, float]:
    """The language of `text` (ISO 639-1) and the library's probability for it."""
    lang, prob = _identifier().classify(_IDS.sub(" ", text))
    return str(lang), float(prob)


def foreign_language(text: str, served: Collection[str]) -> str | None:
    """The likeliest language of `text` when it is surely not one the brand serves (`served`)."""
    plain = _IDS.sub(" ", text)
    words = len(_WORD.findall(plain))
    if words < MIN_WORDS:
        greeting = _GREETING.match(plain.strip())
        if greeting is None:
            return None
        lang = GREETINGS[" ".join(greeting.group(1).casefold().split())]
        return None if lang in served else lang
    ranked = _identifier().rank(plain)
    unserved = sum(float(p) for lang, p in ranked if lang not in served)
    if unserved < (MIN_CONFIDENCE_SHORT if words < SHORT_WORDS else MIN_CONFIDENCE):
        return None
    return str(ranked[0][0])
