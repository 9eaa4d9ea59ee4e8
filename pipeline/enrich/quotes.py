"""Quotation spans: a character-level scanner that pairs quote marks paragraph by paragraph.

Only the outermost quotation of a nest is a span ('"chow bye"' inside a « » quote is part of
it). A quote left open at the end of a paragraph ends there: news style re-opens the mark at
the start of the next paragraph instead of closing it ("…\n\n"…" in English, «…\n\n«…» in
French), and both paragraphs become separate spans, the later one flagged `continued` so that
the attribution step gives it the speaker of the earlier one. French incises inside a quote
(«…, a-t-il ajouté. …») split it in two, and the incise becomes the cue of both halves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.enrich import lexicon_en, lexicon_fr

# opening mark -> closing marks that end it
# (web text mixes straight and curly double marks: “…" and "…” are quotations too)
_PAIRS: dict[str, str] = {"«": "»", "‹": "›", "“": '”"', "„": "“”", "‘": "’", '"': '"”'}
_CLOSERS = frozenset("»›”“’\"")
_SENTENCE_END = re.compile(r"[.!?…][\"'»”’)\]]*\s*$")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_INCISE_END = re.compile(r"[,.;:!?](?=\s)|[,.;:!?]?$")
_INVERTED = re.compile(r"^([^\W\d_]+)-(?:t-)?(il|elle|on|ils|elles)$", re.IGNORECASE)


@dataclass
class QuoteSpan:
    start: int  # offsets of the quotation without its marks
    end: int
    open_mark: int  # offset of the opening mark, or `start` when the span has none (continuation)
    close_mark: int | None  # offset of the closing mark; None when it runs to the paragraph end
    paragraph: int  # index of the paragraph (line) that holds it
    continued: bool = False  # carries on a quotation left open in the previous paragraph
    heading: bool = False  # sits in a title/sub-heading line (no sentence punctuation)
    cue_start: int | None = None  # an incise inside the quotation that attributes this span
    cue_end: int | None = None

    @property
    def outer_end(self) -> int:
        return self.close_mark + 1 if self.close_mark is not None else self.end


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            spans.append((pos, end))
        pos = end + 1
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_letter(ch: str) -> bool:
    return ch.isalpha()


def _scan_paragraph(text: str, start: int, end: int) -> tuple[list[tuple[int, int | None]], int | None, int | None]:
    """Top-level (open, close) mark pairs in one paragraph; close None when left open.

    Also returns the offset of an orphan closing mark met before any opening mark (the end of a
    quotation opened in an earlier paragraph) and the offset of an opener left unclosed.
    """
    stack: list[tuple[int, str]] = []  # (offset, closers expected)
    pairs: list[tuple[int, int | None]] = []
    orphan_close: int | None = None
    seen_opener = False
    for i in range(start, end):
        ch = text[i]
        if ch not in _PAIRS and ch not in _CLOSERS:
            continue
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        closes = next((k for k in range(len(stack) - 1, -1, -1) if ch in stack[k][1]), None)
        if ch == "’" or ch == "‘":
            # curly single marks double as apostrophes: pair them only at word edges
            if ch == "’" and closes is not None and not _is_letter(nxt):
                pass
            elif ch == "‘" and not _is_letter(prev):
                stack.append((i, _PAIRS[ch]))
                seen_opener = True
                continue
            else:
                continue
        elif ch == '"':
            if closes is not None and text[stack[closes][0]] != '"' and not nxt.isspace() \
                    and (prev.isspace() or prev in "([—–-"):
                closes = None  # a straight quotation nested in a curly one opens, it does not close
            if closes is None:
                if nxt.isspace() and not prev.isspace():
                    if not stack and not seen_opener and orphan_close is None:
                        orphan_close = i
                    continue
                stack.append((i, _PAIRS[ch]))
                seen_opener = True
                continue
        elif ch == "“" and closes is None:
            stack.append((i, _PAIRS[ch]))
            seen_opener = True
            continue
        elif ch in _PAIRS and ch not in _CLOSERS:  # « ‹ „
            stack.append((i, _PAIRS[ch]))
            seen_opener = True
            continue
        if closes is None:
            if not stack and not seen_opener and orphan_close is None:
                orphan_close = i
            continue
        opened = stack[closes][0]
        del stack[closes:]
        if not stack:
            pairs.append((opened, i))
    unclosed = stack[0][0] if stack else None
    if unclosed is not None:
        pairs.append((unclosed, None))
    return pairs, orphan_close, unclosed


def _is_heading(text: str, start: int, end: int) -> bool:
    line = text[start:end]
    return len(line) < 160 and not _SENTENCE_END.search(line.rstrip(" \"'»”’"))


def find_quote_spans(text: str, lang: str | None = "fr") -> list[QuoteSpan]:
    """Every outermost quotation in `text`, in order, split at incises."""
    spans: list[QuoteSpan] = []
    open_from_previous = False
    for index, (pstart, pend) in enumerate(_paragraphs(text)):
        pairs, orphan_close, unclosed = _scan_paragraph(text, pstart, pend)
        heading = _is_heading(text, pstart, pend)
        if open_from_previous and orphan_close is not None and (not pairs or pairs[0][0] > orphan_close):
            s, e = _trim(text, pstart, orphan_close)
            if _WORD.search(text[s:e]):
                spans.append(QuoteSpan(s, e, s, orphan_close, index, continued=True))
        first_mark = next((i for i in range(pstart, pend) if not text[i].isspace()), pstart)
        for opened, closed in pairs:
            inner_end = closed if closed is not None else pend
            s, e = _trim(text, opened + 1, inner_end)
            if closed is None:
                # a quote running to the paragraph end keeps its final punctuation but not a
                # stray closing mark of another kind
                while e > s and text[e - 1] in _CLOSERS:
                    e -= 1
            if not _WORD.search(text[s:e]):
                continue
            spans.append(QuoteSpan(
                s, e, opened, closed, index,
                continued=open_from_previous and opened == first_mark,
                heading=heading,
            ))
        open_from_previous = unclosed is not None
    return split_incises(text, spans, lang)


def _incise_at(text: str, pos: int, limit: int, lang: str | None) -> int | None:
    """End offset of an incise starting at `pos` (just after ", "), or None if there is none."""
    window = text[pos:limit]
    words = window.split(None, 4)[:4]
    if not words:
        return None
    lex = lexicon_en if lang == "en" else lexicon_fr
    w = [x.strip(",.;").lower() for x in words]
    found = False
    if lang != "en":
        # a reflexive verb: "se plaint-il", "s'exclame-t-elle"
        reflexive = (w[0] == "se" and len(w) > 1) or w[0][:2] in ("s'", "s’")
        if w[0] == "se" and len(w) > 1:
            w = w[1:]
        elif w[0][:2] in ("s'", "s’"):
            w = [w[0][2:], *w[1:]]  # "s'est réjouie la Grecque": être is the auxiliary
        inverted = _INVERTED.match(w[0])
        if inverted and (inverted.group(1) in lex.SPEECH_FORMS or inverted.group(1) in ("a", "avait")):
            found = inverted.group(1) not in ("a", "avait") or any(x in lex.SPEECH_FORMS for x in w[1:3])
        elif (w[0] in lex.AUXILIARIES or (reflexive and w[0] in ("est", "sont"))) and len(w) > 1:
            found = w[1] in lex.SPEECH_FORMS or (len(w) > 2 and w[1] in lex.SKIPPABLE and w[2] in lex.SPEECH_FORMS)
        elif w[0] in lex.SPEECH_FORMS and len(w) > 1:
            # "raconte Clément", "expliquent les élus": a present-tense verb then its subject
            found = words[1][:1].isupper() or w[1] in lex.DETERMINERS or (
                len(w) > 2 and w[1] in lex.SKIPPABLE and (words[2][:1].isupper() or w[2] in lex.DETERMINERS))
    else:
        if w[0] in ("he", "she", "they") or words[0][:1].isupper():
            found = len(w) > 1 and w[1] in lex.SPEECH_FORMS
        elif w[0] in ("said", "added", "says", "adds"):
            found = True
    if not found:
        return None
    # the incise ends at the next comma or full stop that is followed by more quotation
    for match in _INCISE_END.finditer(window):
        if match.start() > 120:
            return None
        before = window[:match.start()].rsplit(None, 1)[-1] if match.start() else ""
        if match.group() == "." and (before[:1].isupper() and len(before) <= 3):
            continue  # "M. Trudeau", "Dr. Smith": an abbreviation, not the end of the incise
        return pos + match.end()
    return None


def split_incises(text: str, spans: list[QuoteSpan], lang: str | None) -> list[QuoteSpan]:
    """Split quotations around attributive incises such as «…, a-t-il dit. …»."""
    result: list[QuoteSpan] = []
    for span in spans:
        current = span
        pos = current.start
        while True:
            comma = text.find(", ", pos, current.end)
            if comma < 0:
                result.append(current)
                break
            incise_end = _incise_at(text, comma + 2, current.end, lang)
            if incise_end is None:
                pos = comma + 2
                continue
            head_s, head_e = _trim(text, current.start, comma)
            tail_s, tail_e = _trim(text, incise_end, current.end)
            head = QuoteSpan(head_s, head_e + 1, current.open_mark, None, current.paragraph,
                             current.continued, current.heading, comma + 2, incise_end)
            # the head keeps its comma, as annotators usually copy it; scorers strip edge punctuation
            result.append(head)
            if not _WORD.search(text[tail_s:tail_e]):
                break
            current = QuoteSpan(tail_s, tail_e, tail_s, current.close_mark, current.paragraph,
                                continued=False, heading=current.heading,
                                cue_start=comma + 2, cue_end=incise_end)
            pos = tail_s
    return result
