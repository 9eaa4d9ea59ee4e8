"""Article HTML to clean main text.

trafilatura finds the article body and drops navigation, ads and comments. When it finds nothing
(tiny pages, odd markup) we fall back to a plain conversion of the whole document so that an
article is never left without text.
"""

from __future__ import annotations

import html
import re
import unicodedata

import trafilatura

_HORIZONTAL_SPACE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|h[1-6]|li|ul|ol|tr|table|section|article|header|footer|blockquote|figure|figcaption)\b[^>]*>",
    re.IGNORECASE,
)
_INVISIBLE = re.compile(r"<(head|script|style|noscript|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def looks_like_html(raw: str) -> bool:
    """The CLI contract: input whose first non-blank character is `<` is HTML."""
    return raw.lstrip().startswith("<")


def clean_whitespace(text: str) -> str:
    """Normalise line ends and blank runs, keep paragraph breaks (quote scanning relies on them).

    Non-breaking spaces inside « » become plain spaces here, so every later offset refers to this
    cleaned text and nothing downstream has to care about exotic space characters.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _HORIZONTAL_SPACE.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def html_to_plain_text(markup: str) -> str:
    """Crude but dependable HTML to text: drop scripts, turn block tags into line breaks."""
    markup = _INVISIBLE.sub(" ", markup)
    markup = _COMMENT.sub(" ", markup)
    markup = _BLOCK_TAG.sub("\n\n", markup)
    markup = _TAG.sub(" ", markup)
    return clean_whitespace(html.unescape(markup))


def extract_main_text(markup: str, url: str | None = None) -> str:
    """Main text of an article page, paragraphs separated by blank lines.

    Never raises on bad markup: an extractor failure falls back to the plain conversion.
    """
    extracted: str | None = None
    try:
        extracted = trafilatura.extract(
            markup,
            url=url,
            include_comments=False,
            include_tables=False,
            favor_precision=False,
            deduplicate=False,
        )
    except Exception:  # noqa: BLE001 - third-party parser on untrusted markup: any failure means fallback
        extracted = None
    if extracted and extracted.strip():
        # trafilatura separates paragraphs with single newlines; make them blank lines so that
        # paragraph boundaries look the same as in plain-text input.
        text = clean_whitespace(extracted)
        return re.sub(r"(?<!\n)\n(?!\n)", "\n\n", text)
    return html_to_plain_text(markup)


def article_text(raw: str, url: str | None = None) -> str:
    """Text of one article given either HTML or plain text."""
    if looks_like_html(raw):
        return extract_main_text(raw, url)
    return clean_whitespace(raw)
