"""Lemmatise search queries the way article text is lemmatised, so "élections présidentielles"
finds "élection présidentielle" on a cluster without language analyzers.

Only the components lemmatisation needs are loaded (no parser, no NER): a query costs
milliseconds once the model is in memory. If a model cannot be loaded the query simply goes
without its lemma clause; search still works on the plain text fields.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from pipeline.enrich.models import CONTENT_POS, MODEL_NAMES
from pipeline.index.mapping import fold

log = logging.getLogger(__name__)

_UNNEEDED = ["parser", "ner", "senter"]

_models: dict[str, Any] = {}
_failed: set[str] = set()
_lock = threading.Lock()


def _model(lang: str) -> Any | None:
    name = MODEL_NAMES.get(lang)
    if name is None or lang in _failed:
        return None
    model = _models.get(lang)
    if model is None:
        with _lock:
            model = _models.get(lang)
            if model is None and lang not in _failed:
                try:
                    import spacy  # deferred: a CLI call that needs no lemmas should not pay for spaCy

                    model = spacy.load(name, exclude=_UNNEEDED)
                    _models[lang] = model
                except Exception as exc:  # missing package, broken install: degrade, don't fail search
                    _failed.add(lang)
                    log.warning("lemmatiser unavailable", extra={"lang": lang, "model": name, "error": repr(exc)})
    return model


def lemma_string(tokens: Any) -> str:
    """Folded lemmas of the content words of a spaCy Doc, space-separated (the `lemmas` format)."""
    return " ".join(fold(t.lemma_ or t.text) for t in tokens
                    if t.pos_ in CONTENT_POS and not (t.is_punct or t.is_space))


def lemmatize(text: str, lang: str) -> str | None:
    """The folded lemmas of `text` in `lang`, or None when no model is available for it."""
    model = _model(lang)
    if model is None:
        return None
    return lemma_string(model(text[:2000]))


def available_languages() -> tuple[str, ...]:
    return tuple(MODEL_NAMES)
