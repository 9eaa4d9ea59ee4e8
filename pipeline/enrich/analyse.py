"""The NLP core of enrichment: text in, language + entities + attributed quotations out.

Pure functions over strings; the Kafka worker calls `analyse_texts` on a batch so that spaCy's
`nlp.pipe` amortises its cost. Everything after the parse is a single linear pass per article.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from pipeline.enrich.entities import build_index
from pipeline.enrich.language import resolve_language
from pipeline.enrich.models import CONTENT_POS, get_model
from pipeline.enrich.quotes import find_quote_spans
from pipeline.enrich.speakers import attribute_quotes
from pipeline.enrich.text import article_text
from pipeline.model import Entity, Quote

# Parts of speech that carry meaning for search; function words are left out of `lemmas`.


@dataclass
class Analysis:
    language: str | None
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    lemmas: str = ""


def _lemmas(doc: Doc) -> str:
    return " ".join(
        t.lemma_.lower() for t in doc if t.pos_ in CONTENT_POS and not t.is_punct and not t.is_space
    )


def analyse_doc(doc: Doc, lang: str) -> Analysis:
    """Entities, quotations and lemmas of one parsed article."""
    index = build_index(doc)
    text = doc.text  # built from the tokens on every access: read it once
    spans = find_quote_spans(text, lang)
    quotes = [
        Quote(text=text[a.span.start:a.span.end], speaker=a.speaker, start=a.span.start,
              end=a.span.end, cue=a.cue)
        for a in attribute_quotes(doc, spans, index, lang)
        if a.keep
    ]
    return Analysis(language=lang, entities=index.entities(), quotes=quotes, lemmas=_lemmas(doc))


def analyse_texts(items: list[tuple[str, str | None]], batch_size: int = 16) -> list[Analysis]:
    """Analyse many (text, language hint) pairs, batching the parses per language.

    Results come back in input order. Texts in a language without a model get an Analysis
    with only `language` set, so the caller can still index them.
    """
    results: list[Analysis | None] = [None] * len(items)
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, (text, hint) in enumerate(items):
        lang = resolve_language(text, hint)
        if lang is not None and get_model(lang) is not None and text.strip():
            by_lang[lang].append(i)
        else:
            results[i] = Analysis(language=lang)
    for lang, indices in by_lang.items():
        nlp = get_model(lang)
        assert nlp is not None
        texts: Iterable[str] = (items[i][0] for i in indices)
        for i, doc in zip(indices, nlp.pipe(texts, batch_size=batch_size), strict=True):
            results[i] = analyse_doc(doc, lang)
    return [r if r is not None else Analysis(language=None) for r in results]


def analyse_text(text: str, lang: str | None = None) -> Analysis:
    """Analyse one article's text (`lang` is a hint; the detector decides without it)."""
    return analyse_texts([(text, lang)])[0]


def enrich_document(raw: str, lang: str | None = None) -> dict[str, Any]:
    """The `depeche enrich` contract: HTML or text in, one JSON-ready object out.

    Quote offsets refer to the extracted, whitespace-cleaned text.
    """
    text = article_text(raw)
    analysis = analyse_text(text, lang)
    return {
        "language": analysis.language,
        "entities": [{"text": e.text, "label": e.label, "count": e.count} for e in analysis.entities],
        "quotes": [
            {"text": q.text, "speaker": q.speaker, "start": q.start, "end": q.end, "cue": q.cue}
            for q in analysis.quotes
        ],
    }
