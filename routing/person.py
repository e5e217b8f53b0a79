"""A request for a person, however it is phrased: the one ask the router may never drop.

The trained classifier reads most of them ("let me talk to a human"); these patterns are the
floor under it, so "get me a manager", "I don't want to chat with a bot. Person please.", "is
there anyone real there" or "call me at 555 0134 please" are handed off even when a typo or an
unusual phrasing fools the classifier. They name who is wanted (a human, a person, an agent, a
manager, someone real) next to a way of asking for them, or ask to be called back; a person merely mentioned ("the delivery person left it outside",
"your agent told me") is not a request. Pure: no I/O.
"""

from __future__ import annotations

import re

PERSON_WORDS = (
    r"(?:agents?|humans?|persons?|people|managers?|someone|somebody|representatives?|operators?"
    r"|supervisors?|staff|bots?|reps?)"
)
"""Every word that names who a customer may ask to talk to (or refuse): a greeting naming one of
them ("Hi Agent", "Hey HUMAN") is not a letter's salutation (`routing.reading`)."""
_MOD = r"(?:(?:a|an|the|some|one|ur|your|real|actual|live|human|proper|another)\s+)*"
_WHO = (
    rf"{_MOD}(?:human(?:\s+beings?)?|humans|person|people|agent|representative|rep|manager|supervisor|"
    r"operator|staff(?:\s+member)?|team\s+member|advisor|adviser|employee|boss)"
)
"""Who is wanted: asked for with any verb of wanting ("I need a real person")."""
_ANYONE = (
    rf"{_MOD}(?:someone|somebody|some1|anyone|anybody|customer\s+(?:service|care|support)|support\s+team"
    r"|your\s+team|the\s+team)"
)
"""Who may be wanted: only with a verb of speaking ("speak to someone", not "I need someone to fix it")."""
_WANT = r"(?:get|give|need|want|wanna|like|prefer|request|demand|bring|let\s+me\s+have)"
_SPEAK = (
    r"(?:speak|speek|talk|tlk|chat|connect|transfer|put|pass|escalate|hand|forward|reach|contact|"
    r"call|phone|ring|email|write)"
)
_PHONE = r"\+?\(?\d[\d ()-]{5,}"
"""A phone number written after "call me"."""
_GREETING = r"(?:hi|hello|hey|hiya|yo|oi)\W+"
_NAMED_LAST = (
    r"(?:a\s+|an\s+)?(?:real\s+|live\s+|actual\s+)?(?:human|person|agent|manager|supervisor|operator|"
    r"representative|rep)\W*$"
)
"""The person named as the last words of the message ("... a real human?")."""
_PATTERNS = (
    # "speak to a human", "put me through to your manager", "talk 2 someone"
    rf"\b{_SPEAK}\b(?:\W+\w+){{0,4}}?\W+(?:{_WHO}|{_ANYONE})\b",
    # "I want a real person", "get me a manager", "need an agent"
    rf"\b{_WANT}\b(?:\W+\w+){{0,2}}?\W+{_WHO}\b",
    # "can someone call me", "somebody please contact me"
    r"\b(?:some(?:one|body)|any(?:one|body)|a\s+person|an\s+agent)\s+(?:please\s+|pls\s+)?"
    r"(?:call|ring|phone|contact|email)\s+me\b",
    # "human please", "agent pls", "real person now", "manager!!"
    r"\b(?:real\s+|live\s+|actual\s+)?(?:human|person|agent|manager|supervisor|operator|representative)"
    r"\s*(?:please|pls|plz|plox|now|asap)\b",
    # a sentence that only names the person: "HUMAN. NOW. I want my money back", "Agent! where is 1001"
    r"(?:^|[.!?]\s+)\W*(?:a\s+|an\s+)?(?:real\s+|live\s+|actual\s+)?(?:human|person|agent|manager|"
    r"supervisor|operator|representative)\s*[.!?]+(?=\s|$)",
    # the whole message names the person, a greeting first or not: "human", "agent?", "hi agent"
    rf"^\W*(?:{_GREETING})?{_NAMED_LAST}",
    # a last clause that greets the person, after an ask: "where is order 1001? also hi agent"
    rf"(?:[.!?,;\n]|\b(?:also|and|oh|btw|plus|then|ps))\W*{_GREETING}{_NAMED_LAST}",
    # refusing the bot: "not a bot", "no bots", "stop the bot", "are you a bot", "is this a robot"
    r"\b(?:not|no|stop|hate|done\s+with|sick\s+of|tired\s+of|enough\s+of)\s+(?:\w+\s+){0,2}"
    r"(?:a\s+|the\s+|this\s+|your\s+)?(?:bot|bots|robot|robots|machine|chatbot)\b",
    # "can a real person look at my refund?", "could a manager check this"
    rf"\b(?:can|could|would|will|may)\s+{_WHO}\s+(?:please\s+|pls\s+)?"
    r"(?:look|check|help|handle|deal|review|sort|take\s+a\s+look|see\s+to)\b",
    # "I don't want to talk to a bot", "dont wanna chat with the robot"
    r"\b(?:don'?t|do\s+not|won'?t)\s+(?:want|wanna|need|like)\s+(?:\w+\s+){0,3}"
    r"(?:a\s+|the\s+|this\s+|your\s+)?(?:bot|bots|robot|robots|machine|chatbot)\b",
    r"\b(?:are\s+you|is\s+this|am\s+i\s+talking\s+to|r\s+u)\s+(?:a\s+|an\s+)?(?:real|human|bot|robot|machine)\b",
    # "is anyone there", "anyone real here"
    r"\b(?:any(?:one|body)|some(?:one|body))\s+(?:real|human|alive)\b",
    r"\bi\s+(?:want|need|demand|would\s+like)\s+(?:to\s+)?(?:a\s+)?(?:callback|call\s+back|phone\s+call)\b",
    # being called: "call me at 555 0134 please", "ring me back", "phone me tomorrow", "give me a call"
    rf"\b(?:call|ring|phone|telephone)\s+me\s*(?:back|at|on|please|pls|plz|asap|now|today|tomorrow|later|"
    rf"when|as\s+soon|urgently|right\s+away|instead|{_PHONE}|[,.!?]|$)",
    r"\b(?:give|get)\s+me\s+a\s+(?:call|ring|phone\s+call|callback|call\s+back)\b",
    r"\b(?:request(?:ing)?|want|need|like|get|have|arrange|book|schedule)\s+(?:a\s+)?(?:callback|call-back)\b",
)
_REQUEST = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE | re.MULTILINE)
_MENTION = re.compile(
    r"\b(?:delivery|postal|mail|ups|fedex|dhl|usps|courier|sales|shipping)\s+(?:person|guy|man|agent|people)\b"
    r"|\b(?:not|never|didn't|didnt|don't|dont|won't|wont|stop|supposed\s+to|meant\s+to|promised\s+to|forgot\s+to)"
    r"\s+(?:\w+\s+)?(?:call|ring|phone)\s+me\b"
    r"|\b(?:your|the|an?|one\s+of\s+your)\s+(?:agent|rep|representative|person|employee|manager)\s+"
    r"(?:said|told|promised|was|were|is|has|had|did|didnt|didn't|never|already|on\s+the\s+phone)\b",
    re.IGNORECASE,
)


def person_request(text: str) -> int | None:
    """Where the first request for a person starts in `text`, or None when there is none."""
    masked = _MENTION.sub(lambda m: " " * len(m.group()), text)
    found = _REQUEST.search(masked)
    return found.start() if found else None
