"""Language of an article: the feed's hint when it is usable, else a statistical detector."""

from __future__ import annotations

import re
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Restricting the detector to languages that news feeds actually carry removes absurd answers
# on short or name-heavy texts (langid happily says "la" or "lb" for a French headline), while
# still telling an unsupported language apart so the article is indexed without NLP fields.
CANDIDATE_LANGUAGES = (
    "fr", "en", "de", "es", "it", "nl", "pt", "ca", "ro", "pl", "cs", "sv", "da", "no", "fi",
    "el", "tr", "ru", "uk", "ar", "he", "fa", "zh", "ja", "ko", "hi", "id", "vi", "hu",
)
# Below this many letters a detector is mostly guessing; we then return None (unknown).
MIN_LETTERS = 12
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_HINT = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")
# ISO 639-2/3 codes that feeds sometimes put in <language>, mapped to 639-1.
_THREE_LETTER = {"fra": "fr", "fre": "fr", "eng": "en", "deu": "de", "ger": "de", "spa": "es", "ita": "it",
                 "nld": "nl", "dut": "nl", "por": "pt", "rus": "ru"}


def normalise_hint(hint: str | None) -> str | None:
    """ISO 639-1 code from a feed or HTTP language tag ("fr-FR", "en_US", "fra"), or None."""
    if not hint:
        return None
    match = _HINT.match(hint)
    if not match:
        return None
    code = match.group(1).lower()
    if len(code) == 3:
        return _THREE_LETTER.get(code)
    return code


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATE_LANGUAGES))
    return identifier


# A hint is overruled only by a confident detector on a long text: many CMSs emit a default
# "en-US" whatever the article's language, but a short teaser is a poor basis for doubting it.
OVERRULE_MIN_LETTERS = 400
OVERRULE_MIN_PROB = 0.999


def _classify(text: str, sample_chars: int) -> tuple[str | None, float, int]:
    sample = text[:sample_chars]
    letters = len(_LETTER.findall(sample))
    if letters < MIN_LETTERS:
        return None, 0.0, letters
    code, prob = _identifier().classify(sample)
    return str(code), float(prob), letters


def detect_language(text: str, sample_chars: int = 4000) -> str | None:
    """ISO 639-1 code of `text` from the detector alone, or None when there is too little text."""
    return _classify(text, sample_chars)[0]


def resolve_language(text: str, hint: str | None = None, sample_chars: int = 4000) -> str | None:
    """The article's language as an ISO 639-1 code, or None when it cannot be told.

    A well-formed hint wins (publishers know their language better than a character n-gram
    model knows a 30-word teaser) unless the detector is near-certain of another language on a
    long text; without a hint the detector decides.
    """
    code = normalise_hint(hint)
    if code is None:
        return detect_language(text, sample_chars)
    detected, prob, letters = _classify(text, sample_chars)
    if detected and detected != code and letters >= OVERRULE_MIN_LETTERS and prob >= OVERRULE_MIN_PROB:
        return detected
    return code
