"""Words beside the request: politeness ("I'd love it if", "if you could"), back-story
sentences ("I'm always forgetting to check the rates.") and quoted text ("post 'Have a great
weekend!'"), which is content for a step, not an instruction.

They are blanked before the request is read, so the "if" of "I'd love it if" is no condition,
the "check" of a complaint is no fetch and the "weekend" of a quoted message no schedule.
Blanking keeps every position, so the original words are still there for labels and configs.
"""

from __future__ import annotations

import re
from dataclasses import replace

from workflow_chat.llm.offline.sentence import MASK, Masked, blank

_I = re.IGNORECASE
_POLITE_RE = re.compile(
    r"\b(?:i|we)\s*(?:'d|would)\s+(?:really\s+|very\s+much\s+|so\s+much\s+|also\s+)?"
    r"(?:love|like|appreciate|prefer)\s+(?:it\s+)?(?:if|that)\b"
    r"|\b(?:it\s*)?(?:'d|would|will|'ll)\s+be\s+(?:so\s+|really\s+|very\s+|super\s+)?"
    r"(?:great|nice|awesome|cool|good|amazing|wonderful|lovely|ideal|helpful|perfect|fantastic"
    r"|brilliant)\s+if\b"
    r"|\bif\s+(?:you|we|someone|somebody)\s+(?:could|can|would|don't\s+mind)\b"
    r"|\bif\s+(?:at\s+all\s+)?possible\b|\bif\s+(?:that's|that\s+is|it's|it\s+is)\s+(?:ok|okay"
    r"|alright|fine|not\s+too\s+much\s+trouble)\b|\bif\s+that\s+works\s+for\s+(?:you|everyone)\b"
    r"|\b(?:i'm\s+|i\s+am\s+|we're\s+|we\s+are\s+)?wondering\s+if\b|\b(?:i|we)\s+wonder\s+if\b"
    r"|\b(?:would|is)\s+it\s+(?:be\s+)?possible\s+(?:to|that|for\s+you\s+to)\b"
    r"|\bsee\s+if\s+(?:you|we)\s+can\b",
    _I,
)
# A sentence that tells a problem rather than asks for a step.
_BACKSTORY_RE = re.compile(
    r"\b(?:forget\w*|forgot|keeps?\s+missing|tired\s+of|sick\s+of|hate|annoying|struggl\w+"
    r"|a\s+pain)\b",
    _I,
)
_REQUEST_RE = re.compile(
    r"\b(?:could|can|would|will)\s+you\b|\bplease\b|\b(?:i|we)\s*(?:'d|would)\s+(?:like|love)\b"
    r"|\b(?:i|we)\s+(?:want|need)\b|\bset\s+(?:up|something)\b|\bmake\s+(?:it|a|me|sure)\b"
    r"|\bautomate\b",
    _I,
)
_SENTENCE_RE = re.compile(r"[^.!?\n]+[.!?\n]*")
# A quote opens after a space or bracket (not the apostrophe of "day's") and closes before one.
_QUOTED_RE = re.compile(r"(?<![\w'])'[^'\n]{1,300}?'(?!\w)|\"[^\"\n]{1,300}?\"")


def without_asides(masked: Masked) -> Masked:
    """The masked request with polite phrases, back-story sentences and quoted text blanked."""
    quoted = [m.span() for m in _QUOTED_RE.finditer(masked.text)]
    text = blank(masked.text, quoted)
    spans = quoted + [m.span() for m in _POLITE_RE.finditer(text)]
    sentences = list(_SENTENCE_RE.finditer(text))
    for sentence in sentences:
        words = sentence.group()
        # A complaint is dropped only when another sentence holds the request, and never when
        # it names a URL or an address (those are masked as NUL characters).
        if _BACKSTORY_RE.search(words) and MASK not in words and any(
            _REQUEST_RE.search(other.group()) for other in sentences if other is not sentence
        ):
            spans.append(sentence.span())
    return replace(masked, text=blank(masked.text, spans)) if spans else masked
