"""A learned second opinion on who said each quotation.

The rules in speakers.py pick a speaker from the cue around a quotation. When the cue is
missing or ambiguous they often have to guess, and their guesses fail in ways no single rule
can fix (a chain of quotations after one misread pronoun, a speaker named only after the
quotation). Here every named entity of the article is a candidate (people and organisations,
and the places and other names the tagger sometimes gives speakers), described by a handful of
simple facts (is it the rules' choice, how close is its last mention, was it the previous
quotation's speaker …), and a linear model trained on the hand-annotated gold articles scores
them; "nobody" is one more candidate. `decide` says when the rules keep the last word. The
model is a table of weights in `speaker_ranker.json`, written by `depeche train-ranker`.
"""

from __future__ import annotations

import bisect
import json
import math
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.enrich.speakers import _Attributor, _Ref

MODEL_PATH = Path(__file__).with_name("speaker_ranker.json")
NOBODY = -1
_KINDS = ("ent", "pron", "role", "rel", "none", "nocue", "filled")


def _bucket(value: int | None, edges: tuple[int, ...]) -> str:
    """"none", or the first edge the value does not exceed ("le1"), or "gt<last>"."""
    if value is None:
        return "none"
    for edge in edges:
        if value <= edge:
            return f"le{edge}"
    return f"gt{edges[-1]}"


class CandidateFeatures:
    """Feature dictionaries for every (quotation, candidate) pair of one attributed article."""

    def __init__(self, att: _Attributor, refs: list[_Ref | None], found: list[bool], filled: list[bool],
                 rule_groups: list[int]) -> None:
        self.att = att
        self.refs = refs
        self.found = found
        self.filled = filled
        self.rule_groups = rule_groups
        index = att.index
        # places and "misc" names too: the tagger often labels a speaker's unusual name so
        # ("Cédric" as a place); the label is a feature and rarely wins on its own
        self.candidates = list(range(len(index.groups)))
        # token positions of each candidate's mentions, outside quotations and inside them
        self.outside: dict[int, list[int]] = {g: [] for g in self.candidates}
        self.inside: dict[int, list[int]] = {g: [] for g in self.candidates}
        self.speech_subjects: dict[int, list[int]] = {}
        n = len(att.doc)
        for m in index.mentions:
            if m.group not in self.outside:
                continue
            tok = min(att._tok(m.start), n - 1)
            (self.inside if att.in_quote[tok] else self.outside)[m.group].append(tok)
            if not att.in_quote[tok] and self._speaks(tok, min(att._tok_end(m.end), n)):
                self.speech_subjects.setdefault(m.group, []).append(tok)
        self.counts = {g: len(index.groups[g].mentions) for g in self.candidates}
        people = [g for g in self.candidates if index.groups[g].label == "PER"]
        self.top_person = max(people, key=lambda g: self.counts[g], default=NOBODY)
        first_break = att.text.find("\n")
        lead_end = att._tok(first_break) if first_break >= 0 else n
        self.in_lead = {g for g, toks in self.outside.items() if toks and min(toks) < lead_end}  # in the first line
        self.subjects: dict[int, list[int]] = {}
        for tok, g in att.subject_events + att.org_events:
            self.subjects.setdefault(g, []).append(tok)
        for toks in self.subjects.values():
            toks.sort()

    def _speaks(self, a: int, b: int) -> bool:
        """Whether the mention on tokens a..b is the subject of a speech verb, or stands right
        after one ("a déclaré X", "said X")."""
        doc, speech = self.att.doc, self.att.speech
        if any(doc[i].dep_.startswith("nsubj") and speech[doc[i].head.i] for i in range(a, b)):
            return True
        j = a - 1
        if j >= 0 and doc[j].pos_ == "DET":
            j -= 1
        return j >= 0 and speech[j]

    def _kind(self, qi: int) -> str:
        if self.filled[qi]:
            return "filled"
        ref = self.refs[qi]
        if ref is None:
            return "nocue"
        return ref.kind if ref.kind in _KINDS else "none"

    def rows(self, qi: int) -> list[tuple[int, dict[str, float]]]:
        """(candidate group or NOBODY, features) for quotation qi."""
        att = self.att
        span = att.spans[qi]
        n = len(att.doc)
        start = min(att._tok(span.open_mark), n - 1)
        end = min(att._tok_end(span.outer_end), n - 1)
        sent_start, sent_end = att.sent[start], att.sent[end]
        rule = self.rule_groups[qi]
        kind = self._kind(qi)
        ref = self.refs[qi]
        prev_rule = self.rule_groups[qi - 1] if qi > 0 else NOBODY
        next_rule = self.rule_groups[qi + 1] if qi + 1 < len(self.rule_groups) else NOBODY
        rule_state = "rule_nobody" if rule == NOBODY else "rule_someone"

        last_before: dict[int, int] = {}
        first_after: dict[int, int] = {}
        last_subject: dict[int, int] = {}
        for g in self.candidates:
            toks = self.outside[g]
            i = bisect.bisect_left(toks, start)
            if i > 0:
                last_before[g] = toks[i - 1]
            j = bisect.bisect_left(toks, end)
            if j < len(toks):
                first_after[g] = toks[j]
            subj = self.subjects.get(g, [])
            k = bisect.bisect_left(subj, start)
            if k > 0:
                last_subject[g] = subj[k - 1]
        before_rank = {g: r for r, g in enumerate(sorted(last_before, key=lambda g: -last_before[g]), 1)}
        after_rank = {g: r for r, g in enumerate(sorted(first_after, key=lambda g: first_after[g]), 1)}
        subject_rank = {g: r for r, g in enumerate(sorted(last_subject, key=lambda g: -last_subject[g]), 1)}

        rows: list[tuple[int, dict[str, float]]] = []
        nobody = {"nobody": 1.0, f"nobody_{rule_state}": 1.0, f"nobody_kind_{kind}": 1.0,
                  f"nobody_found_{self.found[qi]}": 1.0, f"nobody_candidates_{_bucket(len(last_before), (0, 2))}": 1.0}
        if span.heading:
            nobody["nobody_heading"] = 1.0
        words = len(att.text[span.start:span.end].split())
        nobody[f"nobody_words_{_bucket(words, (2, 5, 12))}"] = 1.0
        rows.append((NOBODY, nobody))
        for g in self.candidates:
            group = att.index.groups[g]
            f: dict[str, float] = {}
            is_rule = g == rule
            if is_rule:
                f["rule"] = 1.0
                f[f"rule_kind_{kind}"] = 1.0
            f[f"label_{group.label}"] = 1.0
            f["log_mentions"] = math.log1p(self.counts[g])
            if g == self.top_person:
                f["top_person"] = 1.0
            rb = before_rank.get(g)
            f[f"before_rank_{_bucket(rb, (1, 2, 3))}_{rule_state}"] = 1.0
            if g in last_before:
                f[f"before_sents_{_bucket(sent_start - att.sent[last_before[g]], (0, 1, 2, 5))}"] = 1.0
            ra = after_rank.get(g)
            if ra is not None and ra <= 2:
                f[f"after_rank_{ra}_{rule_state}"] = 1.0
                f[f"after_sents_{_bucket(att.sent[first_after[g]] - sent_end, (0, 1, 2))}"] = 1.0
            rs = subject_rank.get(g)
            if rs is not None:
                f[f"subject_rank_{_bucket(rs, (1, 2, 3))}_{rule_state}"] = 1.0
            for t in self.speech_subjects.get(g, []):
                distance = sent_start - att.sent[t] if att.sent[t] < sent_start else \
                    max(0, att.sent[t] - sent_end)
                if distance <= 1:
                    f[f"speech_subject_{'before' if t < start else 'after'}{distance}_{group.label}"] = 1.0
            if any(start <= t <= end for t in self.inside[g]):
                f["named_inside"] = 1.0
            if g == prev_rule:
                f[f"prev_speaker_{rule_state}"] = 1.0
                if is_rule:
                    f["prev_speaker_and_rule"] = 1.0
            if g == next_rule:
                f[f"next_speaker_{rule_state}"] = 1.0
            if g in self.in_lead:
                f["in_lead"] = 1.0
            if g not in last_before:
                f["not_yet_named"] = 1.0
            if ref is not None and ref.gender in ("m", "f"):
                known = group.gender or group.name_gender
                f[f"gender_{'unknown' if known is None else 'agrees' if known == ref.gender else 'clashes'}"] = 1.0
            if ref is not None and ref.role is not None and ref.role in att.bound_roles.get(g, []):
                f["role_bound"] = 1.0
            rows.append((g, f))
        return rows


_enabled = True


def set_enabled(enabled: bool) -> None:
    """Switch the ranker off (or on again) for this process: `depeche evaluate --no-ranker`."""
    global _enabled
    _enabled = enabled


def active_weights(lang: str | None) -> dict[str, float] | None:
    """The ranker's weights for `lang`, or None when it is off or has no model for it."""
    model = load_weights() if _enabled else None
    return model.get(lang or "") if model else None


@cache
def load_weights(path: Path = MODEL_PATH) -> dict[str, dict[str, float]] | None:
    """{language: {feature: weight}} from the trained model file, or None without one."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return {lang: {k: float(v) for k, v in weights.items()} for lang, weights in data["weights"].items()}


def score(weights: dict[str, float], features: dict[str, float]) -> float:
    return weights.get("bias", 0.0) + sum(weights.get(k, 0.0) * v for k, v in features.items())


def decide(rows: list[tuple[int, dict[str, float]]], rule: int, weights: dict[str, float]) -> int:
    """The ranker's pick among the rows of one quotation. A speaker the rules read off a
    name in the cue ("a déclaré X", "X said"), or off a role whose holder is named in the same
    sentence ("X, le frère de Bouna, s'est dit"), stands; otherwise the best-scoring candidate
    wins, and when the rules found a speaker the ranker may name another one but not take
    the speaker away."""
    if rule != NOBODY:
        facts = next(facts for cand, facts in rows if cand == rule)
        if "rule_kind_ent" in facts or ("rule_kind_role" in facts and "before_sents_le0" in facts):
            return rule
        rows = [row for row in rows if row[0] != NOBODY]
    return max(rows, key=lambda row: score(weights, row[1]))[0]


def choose(features: CandidateFeatures, weights: dict[str, float], qi: int) -> int:
    """The ranker's pick for quotation qi: a candidate group or NOBODY."""
    rule = features.rule_groups[qi]
    if rule != NOBODY and features._kind(qi) == "ent":
        return rule  # what decide() would say, without building every candidate's facts
    return decide(features.rows(qi), rule, weights)
