"""The gender a first name usually carries, so that "elle" or "she" can skip a "Bernie Sanders".

Our own short lists (lexicon_fr / lexicon_en) decide first; then gender-guesser, whose data
covers some 40,000 first names from many countries. Only its confident answers ("male",
"female") count: "mostly_*" and "andy" (androgynous) leave the gender unknown.
"""

from __future__ import annotations

from functools import lru_cache

import gender_guesser.detector

from pipeline.enrich import lexicon_en, lexicon_fr

_FEMININE = lexicon_fr.FEMININE_FIRST_NAMES | lexicon_en.FEMININE_FIRST_NAMES
_MASCULINE = lexicon_fr.MASCULINE_FIRST_NAMES | lexicon_en.MASCULINE_FIRST_NAMES
LISTED_FIRST_NAMES = _FEMININE | _MASCULINE  # our own lists, lowercase
_ANSWERS = {"female": "f", "male": "m"}


@lru_cache(maxsize=1)
def _detector() -> gender_guesser.detector.Detector:
    return gender_guesser.detector.Detector(case_sensitive=False)


def first_name_gender(first: str) -> str | None:
    """"f", "m" or None for a first name as written ("Séverine", "Jean-Luc")."""
    key = first.casefold().strip(".")
    if key in _FEMININE:
        return "f"
    if key in _MASCULINE:
        return "m"
    if len(key) < 2 or not key.replace("-", "").isalpha():
        return None
    answer = _ANSWERS.get(_detector().get_gender(first.strip(".")))
    if answer is None and "-" in key and all(is_first_name(part) for part in first.split("-")):
        return first_name_gender(first.split("-")[0])  # "Jean-Baptiste" is a Jean, "Marie-Claire" a Marie
    return answer


def is_first_name(word: str) -> bool:
    """Whether `word` is a known first name, whatever gender it usually carries ("Dakota")."""
    key = word.casefold().strip(".")
    if key in LISTED_FIRST_NAMES:
        return True
    if len(key) < 2 or not key.replace("-", "").isalpha():
        return False
    if _detector().get_gender(word.strip(".")) != "unknown":
        return True
    parts = word.split("-")
    return len(parts) > 1 and all(is_first_name(part) for part in parts)  # "Jean-Baptiste"
