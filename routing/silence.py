"""When the AI stays silent: a message with nothing to answer.

`nothing_to_answer` is the code that lets the AI close a conversation without replying: a message
that is empty after sanitising, an auto-reply (out-of-office, delivery and read receipts), or a
bare "thanks" once every workflow of the conversation is resolved. Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

NoReplyReason = Literal["empty", "auto_reply", "thanks"]


_AUTO_HEADER = re.compile(
    r"^\s*(?:automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|out of (?:the )?office(?: reply)?"
    r"|ooo|r[ée]ponse automatique|abwesenheitsnotiz|automatische antwort|respuesta autom[aá]tica"
    r"|delivery status notification|delivery receipt|delivery notification|read receipt|read"
    r"|undeliverable|undelivered mail(?: returned to sender)?|mail delivery (?:failed|failure|subsystem)"
    r"|returned mail)\s*:",
    re.I,
)
_AUTO_BODY = re.compile(
    r"\bthis is an? (?:automatic(?:ally generated)?|automated|auto[- ]?generated) (?:reply|response|message|e-?mail)"
    r"|\b(?:i am|i[’']m|i will be|i[’']ll be) (?:currently )?(?:out of (?:the )?office|away from (?:the office|my desk)"
    r"|on (?:annual |parental )?(?:leave|vacation|holiday))"
    r"|\byour message (?:was|has been) (?:delivered|read|displayed)"
    r"|\bdelivery (?:has failed|to the following recipients? failed)",
    re.I,
)
_QUOTED = re.compile(r"^\s*>.*$", re.M)
_THANKS = re.compile(
    r"(?:(?:ok(?:ay)?|great|perfect|awesome|cool|brilliant|super|lovely|got it|all good|that[’']?s (?:great|perfect))"
    r"[\s,.!-]*)?"
    r"(?:thanks?|thank you|thx|ty|cheers|many thanks|much appreciated)"
    r"(?:\s+(?:a lot|so much|very much|again|a million))?"
    r"(?:\s+for\s+(?:(?:the|your|all(?:\s+(?:the|your))?)\s+)?(?:quick\s+)?"
    r"(?:help|info|information|reply|response|answer|support|update|assistance))?"
    r"(?:[\s,.!-]*(?:bye|have a (?:nice|good|great) day))?"
)
_ACK_EMOJI = "\U0001f44d\U0001f64f\U0001f642\U0001f60a\u2764\U0001f44c\ufe0f"
"""Thumbs up, folded hands, smiles, heart, OK hand (and the emoji presentation selector)."""
_EDGE = " \t\n.!,;:-~*()" + _ACK_EMOJI


def is_auto_reply(text: str) -> bool:
    """An out-of-office, delivery or read receipt: a machine answering, not a customer asking.

    A subject-style header ("Automatic reply:", "Out of Office:", "Undeliverable:") decides alone.
    A body phrase ("I am out of the office") decides only when the unquoted text asks no question,
    so a customer who mentions being away and asks something still gets an answer.
    """
    if _AUTO_HEADER.search(text):
        return True
    if not _AUTO_BODY.search(text):
        return False
    return "?" not in _QUOTED.sub("", text)


def is_bare_thanks(text: str) -> bool:
    """Only gratitude or an acknowledgement, nothing asked ("thanks!", "ok, thank you 👍", "👍")."""
    core = text.strip(_EDGE).lower()
    if not core:
        return any(ch in _ACK_EMOJI for ch in text)
    return bool(_THANKS.fullmatch(core))


def is_resolved(runs: Sequence[Mapping[str, object]]) -> bool:
    """Every workflow the conversation ran is resolved: nothing waits, nothing was handed off."""
    return bool(runs) and all(r["status"] == "resolved" for r in runs)


def nothing_to_answer(clean_text: str, runs: Iterable[Mapping[str, object]]) -> NoReplyReason | None:
    """Why the AI closes without replying to this (sanitised) message, or None when it answers."""
    if not clean_text.strip():
        return "empty"
    if is_auto_reply(clean_text):
        return "auto_reply"
    if is_bare_thanks(clean_text) and is_resolved(list(runs)):
        return "thanks"
    return None
