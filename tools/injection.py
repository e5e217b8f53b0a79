"""Injection signals: instruction-like text in customer or third-party strings (tier two).

A signal flags and counts; it never blocks or rewrites (the sanitiser and the data envelope do the
structural work, the code's preconditions stop the actions). `signals(text)` returns the names,
in `FLAGS` order, of every kind found:

- `override`: phrases that try to replace the instructions ("ignore all previous instructions",
  "you are now", "from now on", "begin your reply with ...", "strictly adhere to the following");
- `role_marker`: text posing as another speaker or as prompt structure ("system:", chat-template
  tokens, `<system>`/`<tool_data>` tags, "=== END OF PROMPT ===");
- `tool_call`: fake tool-call JSON or "call some_tool {...}";
- `reveal`: requests for the instructions, the prompt or secrets ("repeat the text above");
- `contact`: requests to send data, money or messages to an address (email, URL, IBAN, phone);
- `exfiltration`: markdown images, links carrying query data or URLs with placeholders;
- `authority`: text addressing the assistant or claiming an authority or approval it cannot show
  ("SYSTEM NOTICE TO ASSISTANT", "the customer pre-confirmed cancellation", "policy updated",
  "approved by the manager");
- `task`: requests for work that is no part of a support conversation, aimed at the reply ("add ...
  to your response", "write a poem", "translate the following") or at systems we do not run
  ("unlock my front door", "disable two-factor authentication", "withdraw 5 bitcoin");
- `instruction` (third-party text only): the learned model of `tools.injection_model` scores the
  text as an instruction meant for the assistant rather than a customer's message, a note or a
  carrier's event. A customer may ask anything; a field of a tool's result should not ask at all.

`bench/injection_eval.py` (`make injection-eval`) measures the signals per source on a labelled
corpus read from ../shared/data (`bench/injection_corpus.py`), tune and report splits.

Matching runs on a folded copy (NFKC, case-folded, common Cyrillic/Greek look-alikes mapped to
Latin, accents dropped), so "ＩＧＮＯＲＥ" or "ignοre" with a Greek omicron still match. The text
given is the sanitiser's output: invisible characters are already gone.
"""

from __future__ import annotations

import re
import unicodedata

from tools import injection_model

FLAGS = (
    "override",
    "role_marker",
    "tool_call",
    "reveal",
    "contact",
    "exfiltration",
    "authority",
    "task",
    "instruction",
)

_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁһӏνοαερτυκιмтнвкг",  # Cyrillic and Greek letters that render as Latin ones
    "aeopcyxijsdhlvoaeptukimthbkr",
)

_MARKS = re.compile(
    r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)  # combining accents
_INSTRUCTIONS = (
    r"(?:instructions?|prompts?|rules|directives?|directions|guidelines|guardrails|constraints|policies"
    r"|programming|restrictions|commands|system message|context)"
)
_EARLIER = r"(?:previous|prior|above|earlier|preceding|former|original|initial|old|all|any|every|your|these|those|the|system|safety|existing|other)"
_AI = (
    r"(?:ai|a\.i\.|llm|chatbot|chat bot|language model|gpt|virtual assistant|(?:ai|support|customer service|automated)"
    r" (?:assistant|agent|bot|model|system)|assistant|bot)"
)
_ADDRESS = (
    r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # email
    r"|(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|ru|cn|xyz|info|biz|co|me)(?:/\S*)?"  # URL
    r"|\b[a-z]{2}\d{2}[a-z0-9]{10,30}\b"  # IBAN
    r"|\+?\d[\d\s().-]{8,}\d)"  # phone or account number
)
_TO_ADDRESS = rf"\bto\s+[^.!?\n]{{0,30}}?[\"'“‘<(]?{_ADDRESS}"
_SENSITIVE = (
    r"(?:conversation|chat|history|transcript|messages|emails|inbox|contents?|body|data|information|info|details"
    r"|records|files?|documents?|passwords?|credentials|codes?|tokens?|keys?|secrets?|instructions|prompt|everything"
    r"|all|customers?|users?|contacts|card|iban|ssn|passport)"
)
_MONEY = r"(?:money|funds|payments?|transactions?|transfers?|bitcoin|btc|crypto|as much|[$€£]\s?\d|\d[\d,.]*\s?(?:usd|eur|gbp|dollars|euros))"
_SHOW = (
    r"(?:reveal|show|print|repeat|output|display|leak|dump|share|tell me|give me|write|list|recite|spell out|echo"
    r"|translate|summari[sz]e|explain|rephrase|paraphrase|reformat|format|convert|rewrite|describe|tl;?dr|rap about"
    r"|reply (?:back )?with|what (?:is|are|were))"
)
_SAY = (
    r"(?:say|output|print|respond|reply|answer)\b(?:\s+(?:only|exactly|just|back|with|the words?|the phrase|nothing but)){0,3}"
    r"\s*:?\s*(?:[\"“”‘«\[]|'(?!s\b))"
)
_NOT_ON_A_CARD = "".join(f"(?<!{w} )" for w in ("card", "cards", "tag", "note", "label", "message", "sign"))
"""A gift note asks for the card "to say" something: that is what a card is for, not a reply."""
_PROMPT = (
    r"system prompt|pre-?prompt|ruleset|your (?:instructions|prompt|directives|programming|configuration)"
    r"|(?:the above|above|previous|prior|preceding|initial|original|hidden|secret|internal|system|earlier)"
    r" (?:instructions|prompt|rules|directives|guidelines|programming|configuration)"
    r"|instructions (?:above|so far|you (?:were|have been) given)"
)

_PATTERNS: dict[str, tuple[str, ...]] = {
    "override": (
        rf"\b(?:ignore|disregard|forget|skip|bypass|override|overwrite|abandon|discard|neglect|stop following)\b"
        rf"[^.\n]{{0,40}}?\b{_EARLIER}\b[^.\n]{{0,30}}?\b{_INSTRUCTIONS}",
        r"\b(?:ignore|disregard|forget)\s+(?:all|any|every|your)\s+(?:of\s+)?(?:your\s+|the\s+)?"
        r"(?:previous|prior|above|earlier|preceding|former|original|initial|other)\b",
        rf"\b(?:new|updated|real|actual|true|revised|additional|important|urgent|secret|hidden|pre)[ -]?{_INSTRUCTIONS}\s*[:!]",
        r"\byou are (?:now|no longer)\b",
        r"\byou have been (?:recruited|reprogrammed|updated|upgraded|jailbroken|freed|unlocked)\b",
        r"\byou are (?:an?|the) [^.\n]{0,40}\b(?:assistant|ai|bot|agent|model|door|program|arbiter|hacker|character|persona)\b",
        r"\bfrom now on\b[^.\n]{0,30}\b(?:respond|answer|reply|act as|behave|you (?:are|will be|must be) (?:a|an|the|my))\b",
        r"\bpretend (?:to be|you are|that you)\b",
        r"\b(?:roleplay|role-play|play the role of)\b",
        r"\bi want you to (?:act|roleplay|role-play|play|pretend|be|become|forget|ignore)\b",
        r"\b(?:act|behave|respond|function) as (?:if you were|though you|an? |the )[^.\n]{0,30}\b(?:ai|assistant|bot|model|gpt|dan|system|admin|administrator|developer|unrestricted|unfiltered|jailbroken)\b",
        r"\b(?:developer|god|admin|debug|jailbreak|dan|unrestricted|sudo) mode\b",
        r"\bdo anything now\b",
        r"\bjailbr[eo]a?k",
        r"\b(?:important|urgent) (?:message|note|notice|instructions?|update) (?:from|for) (?:me|the user|your user|the admin|the developer|the system|the owner)\b",
        r"\bbefore (?:you )?(?:can )?(?:solve|complete|continue|proceed|answer|respond|finish)\b[^.\n]{0,60}\b(?:first|you must|please do|do the following)\b",
        r"\b(?:adhere|obey|comply|stick) (?:to|with) (?:the |these |my )?(?:following|new|below)\b",
        r"\b(?:do|follow|execute|perform|carry out) the following (?:instructions?|steps?|tasks?|commands?)?\s*(?:first|instead|now|immediately|:)",
        r"\b(?:begin|start|end|prefix|preface|open)\s+(?:(?:your|the|each|yr|ur)\s+)?(?:reply|response|answer|output)s?\s+(?:with|by)\b",
        r"\bprefix\b[^.\n]{0,40}\bto (?:your|the|each) (?:reply|response|answer|output)",
        rf"[.!?:;,\n]\s*{_SAY}",
        rf"\b(?:please|just|now|then|only|simply|and|always|{_NOT_ON_A_CARD}to|you (?:will|must|should|shall|can|may))"
        rf"\s+{_SAY}",
        r"\binstead,? (?:you (?:must|should|will|need to)|please|do|say|respond|output)\b",
        r"\binstead of (?:outputting|answering|responding|replying|following|doing|saying)\b",
    ),
    "role_marker": (
        r"(?:^|\\n|[\"“])[\s#>*\[(<|-]*(?:system|assistant|developer|ai|bot|model|gpt|chatgpt|root|sudo)"
        r"(?:[ _](?:message|prompt|instructions?|note|override|update))?[\])>|*]*\s*:",
        r"(?:^|\\n|[\"“])[\s#>*\[(<|-]*(?:ai|llm|chatbot|gpt|assistant)[ _-]?(?:agent|assistant|model|system|bot)s?"
        r"[\])>|*]*\s*:",
        r"<\|?(?:im_start|im_end|system|assistant|user|endoftext|eot_id|start_header_id|end_header_id)\|?>",
        r"\[/?(?:inst|sys|system)\]",
        r"<</?sys>>",
        r"#{2,}\s*(?:system|instruction|instructions|assistant|response|new task)\b",
        r"\(system[_ ]message\)",
        r"</?\s*(?:system|assistant|instructions?|important|information|admin|prompt|tool_\w+|function_\w+|untrusted\w*)\b[^>\n]{0,80}>",
        r"^[\W_]*(?:end|begin|start|stop)(?: of)?(?: the)?(?: \w+){0,2} (?:input|prompt|instructions?|ambiguity|context|conversation|rules|section|system)\b[\W_]*$",
    ),
    "tool_call": (
        r"\{\s*\"(?:name|tool|tool_name|function|function_name|action|recipient_name)\"\s*:\s*\"[^\"]*\"\s*,\s*\"(?:arguments|args|parameters|params|input|action_input)\"\s*:",
        r"\"(?:tool_calls|function_call|tool_use)\"\s*:",
        r"\b(?:call|use|invoke|run|execute|trigger)\s+(?:the\s+)?(?:tool|function|api|action)?\s*[`'\"]?[a-z][a-z0-9]*(?:_[a-z0-9]+)+[`'\"]?\s*(?:with\s*)?[({]",
        r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\s*(?:\(\s*\{?\s*\"?\w+\"?\s*[:=]|\{\s*\"\w+\"\s*:)",
    ),
    "reveal": (
        rf"\b{_SHOW}\b[^.\n]{{0,40}}\b(?:{_PROMPT}|(?:the|your|all)\s+(?:access codes?|secret codes?|api keys?|credentials|secrets?)|(?:your|the admin|the system|the secret) passwords?)\b",
        rf"\b(?:{_PROMPT})\b[^.\n]{{0,30}}\b(?:verbatim|in full|word for word|pseudocode|python|code|bullet|list|poem|sonnet|story|rap)\b",
        r"\b(?:repeat|print|output|recite|echo|write|explain|rewrite|summari[sz]e|translate|convert)\b[^.\n]{0,30}\b(?:everything|all|the (?:text|words|content|instructions)|what (?:was|is) written)\b[^.\n]{0,20}\b(?:above|before|so far|prior|earlier)\b",
    ),
    "contact": (
        rf"\b(?:send|forward|share|e-?mail|copy|leak|exfiltrate|post|upload|submit|relay)\b[^.!?\n]{{0,60}}?\b{_SENSITIVE}\b[^.!?\n]{{0,60}}?{_TO_ADDRESS}",
        rf"\b(?:send|transfer|wire|pay|move)\b[^.!?\n]{{0,60}}?{_MONEY}[^.!?\n]{{0,60}}?{_TO_ADDRESS}",
        r"\b(?:post|upload|submit|leak|exfiltrate)\b[^.!?\n]{0,80}?\bto\s+[^.!?\n]{0,20}?(?:https?://|www\.)\S+",
        r"\b(?:send|share|post|forward)\s+(?:(?:a|the|this)\s+)?(?:link|url)\s*:?\s*(?:https?://|www\.)\S+",
        rf"\b(?:bcc|cc)\s*:?\s*{_ADDRESS}",
    ),
    "authority": (
        rf"\b(?:notice|note|message|memo|instructions?|reminder|directive|update|alert)\s+(?:to|for)\s+"
        rf"(?:the\s+|any\s+|all\s+)?{_AI}s?\b",
        rf"(?:^|[.!?:]\s)[\W_]*(?:dear|hey|hi|hello|attention|attn|psst)\s*[:,]?\s+(?:the\s+)?{_AI}\b",
        rf"\b{_AI}s?\b[^.\n]{{0,20}}\b(?:must|shall|should now|is (?:required|instructed|authori[sz]ed|permitted|allowed)"
        r"|are (?:required|instructed|authori[sz]ed)|has been (?:authori[sz]ed|instructed|cleared)|may now)\b",
        r"\b(?:the\s+)?(?:customer|user|client|account holder|buyer|cardholder|requester)\b[^.\n]{0,30}?\b(?:pre-?"
        r"(?:confirmed|approved|authori[sz]ed|verified|agreed)|has (?:already )?(?:confirmed|approved|authori[sz]ed|agreed to)"
        r"|already (?:confirmed|approved|authori[sz]ed|agreed)|is (?:owed|entitled to|eligible for|due) (?:a |an )?"
        r"(?:full |immediate |additional |complete )?(?:refund|credit|compensation|cancellation|reimbursement))",
        r"\b(?:policy|policies|rules|terms|guidelines|instructions) (?:has |have )?(?:been |was |were |is |are )?"
        r"(?:updated|changed|revised|overridden|suspended|waived|lifted)\b",
        r"\b(?:system|admin|administrator|security|compliance|management|developer|operator|openai|anthropic)\s+"
        r"(?:notice|notification|override|directive|instruction|alert|announcement)\b",
        r"\b(?:approved|authori[sz]ed|confirmed|verified|cleared) (?:in advance )?by (?:the )?(?:manager|management|admin"
        r"|administrator|supervisor|system|security team|support team|head office|operator|developer)s?\b",
    ),
    "task": (
        r"\b(?:add|include|insert|append|prepend|modify|enhance|augment|integrate|incorporate|mention|translate|render"
        r"|encode|encrypt|replace|scramble|reverse|invert|group|combine|express|use|apply|format|end|start|sign|promote"
        r"|highlight|reference|embed|put|write|provide|give|deliver|answer|respond|reply)\b[^.\n]{0,60}\b(?:your|each|every)"
        r"\s+(?:answer|response|reply|replies|output|message|summary)s?\b",
        r"\b(?:answer|response|reply|output)'s\b",
        r"\b(?:write|compose|draft|develop|create|generate|produce|prepare|give me|tell me)\s+(?:me\s+)?(?:a|an|some|the)"
        r"\s+(?:short\s+|brief\s+|simple\s+|funny\s+|catchy\s+)?(?:poem|story|essay|speech|song|haiku|limerick|script"
        r"|program|python|function|article|blog(?: post)?|tweet|introduction|outline|joke|recipe|paragraph|sonnet|novel"
        r"|presentation|slogan|lyrics|riddle)\b",
        r"\btranslate (?:the following|this|your|these|the (?:text|sentence|message|paragraph|words))\b",
        r"\b(?:grant|give)\b[^.\n]{0,40}\b(?:access|permission|admin rights)\b[^.\n]{0,40}\b(?:lock|door|system|account"
        r"|house|home|residence|garage|server|repository|workspace)\b",
        r"\bunlock (?:my|the) (?:front |back |garage |side )?(?:door|lock|gate|garage)\b",
        r"\b(?:disable|turn off|deactivate|remove|bypass)\b[^.\n]{0,30}\b(?:two-factor|2fa|mfa|two factor|authentication"
        r"|security (?:alarm|system|camera)|alarm system)\b",
        r"\b(?:withdraw|deposit|sell|buy|transfer)\s+(?:\$?\d[\d,.]*|all|as much)\b[^.\n]{0,40}\b(?:bitcoin|btc|eth"
        r"|crypto\w*|units|shares|stocks?|usd|dollars|eur|venmo|paypal|binance)\b",
        r"\b(?:send|transfer|wire|pay|initiate)\b[^.\n]{0,30}\b(?:transactions?|payments?|money|funds)\b[^.\n]{0,60}\bto\b",
        r"\b(?:invite|add|remove|kick)\b[^.\n]{0,40}\b(?:to|from) (?:the )?(?:slack|workspace|channel|group chat)\b",
        r"\b(?:make|book|create|schedule)\b[^.\n]{0,15}\b(?:reservation|appointment|calendar event|meeting)\b",
        r"\b(?:delete|remove|erase|wipe)\b[^.\n]{0,30}\b(?:files?|folders?|emails|records?|messages|drive|repository"
        r"|database)\b",
        r"\b(?:move|copy|upload)\b[^.\n]{0,40}\b(?:files?|folders?|documents?)\b",
        r"\b(?:health|medical|genetic|patient)\s+(?:records?|data|history|information)\b",
        r"\b(?:smart (?:lock|speaker|home|camera|plug)|home robot|traffic lights?|security cameras?)\b",
        r"\b(?:change|reset|update|set)\b[^.\n]{0,20}\bpassword\b[^.\n]{0,20}\bto\b",
        r"\b(?:to|into) (?:the |my |this )?(?:bank )?account\b[^.\n]{0,10}\b(?:[a-z]{2}\d{6,}|\d[\d-]{6,}|id)\b",
    ),
    "exfiltration": (
        r"!\[[^\]\n]{0,200}\]\(\s*<?(?:https?:)?//",
        r"\[[^\]\n]{0,200}\]\(\s*<?https?://[^)\s]*[?&][^)\s]*=",
        r"https?://\S*(?:\{|\$\{|%7b|<|\[)\S*",
        r"<img\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//",
    ),
}


def _compile(patterns: tuple[str, ...]) -> list[re.Pattern[str]]:
    """One regex for the patterns that start at a word (`\\b`), one for the rest.

    A leading "\\b" makes re try every position; a shared leading "\\W" (the text gets a "\\n" in
    front) lets it skip to the next non-word character first, several times faster.
    """
    words = [p[2:] for p in patterns if p.startswith(r"\b")]
    rest = [p for p in patterns if not p.startswith(r"\b")]
    compiled = [re.compile(r"\W(?:" + "|".join(words) + ")", re.MULTILINE)] if words else []
    return compiled + [re.compile(p, re.MULTILINE) for p in rest]


_COMPILED = {name: _compile(patterns) for name, patterns in _PATTERNS.items()}


def fold(text: str) -> str:
    """Return the matching form of `text`: NFKC, case-folded, look-alikes mapped, accents dropped."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_LOOKALIKES)
    if folded.isascii():
        return folded
    return _MARKS.sub("", unicodedata.normalize("NFD", folded))


def pattern_signals(text: str) -> tuple[str, ...]:
    """The signals of the patterns alone (every flag but `instruction`), in `FLAGS` order."""
    if not text:
        return ()
    folded = "\n" + fold(text)
    return tuple(name for name in FLAGS[:-1] if any(p.search(folded) for p in _COMPILED[name]))


def signals(text: str, *, third_party: bool = False) -> tuple[str, ...]:
    """Return the injection signals found in `text`, in `FLAGS` order: the patterns', then, for
    third-party text only, `instruction` when the learned model (`tools.injection_model`) scores it
    over its threshold. A customer asking a question is not an injection however off-topic it is;
    a note or a carrier event that asks the assistant for something is."""
    if not text:
        return ()
    found = pattern_signals(text)
    if third_party and injection_model.flagged("\n" + fold(text)):
        return (*found, "instruction")
    return found
