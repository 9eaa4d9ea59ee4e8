"""Who said it: attribution of quotation spans to a speaker's canonical name.

Runs once over a parsed Doc, in text order, so that every resolved speaker can help resolve
the next pronoun or role noun. For each quotation the evidence is tried from the most to the
least reliable:

1. an incise inside the quotation («…, a-t-il ajouté. …»);
2. a cue right after it (", a déclaré X", "X said", "said X", "selon X");
3. a cue before it in the same sentence ("X a estimé que «…»", "X said: "…"", "selon lui");
4. a cue later in the same sentence (`"Non", il n'y a pas "…", a-t-il insisté`);
5. the neighbours: another quotation of the sentence, the previous quotation when this one
   continues it or fills a paragraph, a heading repeating a quotation of the body;
6. the person who is the subject of the sentence (short partial quotes: pour "remercier").

A cue's subject is an entity mention, a pronoun (most recent compatible person that was a
subject or a speaker before the sentence), a relative "qui/who" (the name it follows), or a
role noun ("le président biélorusse": a person bound to that role by apposition or by an
earlier attribution, else the most recent compatible person).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from types import ModuleType

from spacy.tokens import Doc, Token

from pipeline.enrich import lexicon_en, lexicon_fr
from pipeline.enrich.entities import EntityIndex, fold
from pipeline.enrich.quotes import QuoteSpan
from pipeline.enrich.ranking import CandidateFeatures, active_weights, choose

_SENTENCE_FINAL = frozenset(".!?…")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_PREPOSITIONS = frozenset("de du des d' d’ of the à au aux".split())
_TITLES = frozenset("m mme mlle me mgr pr dr mr mrs ms prof cllr coun sir".split())
# who can be a speaker: a person, or failing that an organisation; never a place or a thing
_SPEAKER_LABELS = frozenset({"PER", "ORG"})
_DOCUMENT_DETERMINERS = frozenset("the a an his her their its le la l' l’ un une ce cette son sa leur this".split())
_DOCUMENT_NOUNS = frozenset("statement release letter communiqué lettre déclaration texte".split())


@dataclass
class Attribution:
    span: QuoteSpan
    speaker: str | None
    cue: str | None
    keep: bool = True


@dataclass
class _Ref:
    kind: str  # "ent", "pron", "rel", "role", "none"
    token: int  # where the referring expression is
    group: int = -1
    gender: str | None = None
    role: tuple[str, frozenset[str]] | None = None
    indefinite: bool = False
    end: int = -1  # token after a role noun phrase
    source: bool = False  # named by "selon"/"according to"


def lexicon_for(lang: str | None) -> ModuleType:
    return lexicon_en if lang == "en" else lexicon_fr


_FOLDED: dict[str, tuple[dict[str, str], frozenset[str], frozenset[str]]] = {}


def _folded_lexicon(lex: ModuleType) -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """Role synonyms, speech nouns and role nouns of a lexicon, folded once per process."""
    if lex.__name__ not in _FOLDED:
        synonyms = {fold(k): fold(v) for k, v in lex.ROLE_SYNONYMS.items()}
        _FOLDED[lex.__name__] = (synonyms, frozenset(fold(w) for w in lex.SPEECH_NOUNS),
                                 frozenset(fold(w) for w in lex.ROLE_NOUNS) | frozenset(synonyms))
    return _FOLDED[lex.__name__]


# dependency labels of verbs heading a subordinate clause ("Alors qu'on attendait X, …")
_SUBORDINATE_DEPS = frozenset("advcl ccomp acl csubj xcomp".split())


# The dash opening a signature line under a quotation: "-- Elina Svitolina on her plans".
_SIGNATURE_DASH = re.compile(r"(?:--|[—–-])\s*")
# Words of a photo credit, which is no speaker label: "Photo : Jean Dupont / AFP".
_CREDIT = re.compile(r"photo|crédit|credit|©|illustration|image", re.IGNORECASE)
# A dateline before the first words of an article: "MONTRÉAL – ", "PARIS (AFP) - ".
_DATELINE = re.compile(r"\s*[A-ZÀ-Ý][A-ZÀ-Ý'’. -]+(?:\s*\([^()]{1,20}\))?\s*[–—-]\s*")


class _Attributor:
    def __init__(self, doc: Doc, spans: list[QuoteSpan], index: EntityIndex, lang: str | None,
                 use_ranker: bool = True) -> None:
        self.doc = doc
        self.use_ranker = use_ranker
        self.text = doc.text  # Doc.text rebuilds the string from every token on each access
        self.spans = spans
        self.index = index
        self.lex = lexicon_for(lang)
        self.role_synonyms, self.speech_nouns, self.role_nouns = _folded_lexicon(self.lex)
        self.phrase_starts = frozenset(p[0] for p in self.lex.PHRASE_CUES)
        self.org_kinds = {fold(k): v for k, v in self.lex.ORG_KIND_NOUNS.items()}
        toks = list(doc)  # iterating a Doc builds Token objects each time: once is enough
        self.lang = lang
        self.starts = [t.idx for t in toks]
        n = len(doc)
        # token -> in a quotation (its marks included); incises inside stay outside
        self.in_quote = [False] * n
        for s in spans:
            a, b = self._tok(s.open_mark), self._tok_end(s.outer_end)
            for i in range(a, b):
                self.in_quote[i] = True
            if s.cue_start is not None and s.cue_end is not None:
                for i in range(self._tok(s.cue_start), self._tok_end(s.cue_end)):
                    self.in_quote[i] = False
        self.group_at = [-1] * n
        for m in index.mentions:
            for i in range(self._tok(m.start), self._tok_end(m.end)):
                self.group_at[i] = m.group
        self.speech = [self._is_speech(t) for t in toks]
        self.sent = self._sentences(toks)
        self.subject_events = self._subject_mentions()  # (token, group), in order
        self.org_events = self._organisation_subjects()  # (token, group): organisations that act
        self.speaker_events: list[tuple[int, int]] = []
        self.bound_roles: dict[int, list[tuple[str, frozenset[str]]]] = {}
        self.trust_name_genders = True
        self._bind_appositions()

    # -- offsets -----------------------------------------------------------------------------
    def _tok(self, char: int) -> int:
        """Index of the token containing or following `char`."""
        i = bisect.bisect_right(self.starts, char) - 1
        if i < 0:
            return 0
        tok = self.doc[i]
        return i if char < tok.idx + len(tok.text) else i + 1

    def _tok_end(self, char: int) -> int:
        """One past the last token starting before `char`."""
        return bisect.bisect_left(self.starts, char)

    def _opens_sentence(self, span: QuoteSpan) -> bool:
        before = self.text[:span.open_mark].rstrip()
        return not before or before[-1] in ".!?…:\n" or self.text[len(before):span.open_mark].count("\n") > 0

    def _sentences(self, toks: list[Token]) -> list[int]:
        # a quotation closed after its own full stop and followed by a capital ends the
        # sentence: «…a subi un vrai traumatisme.» Comme ils l'avaient laissé entendre, …
        closing = {self._tok(s.close_mark) for s in self.spans
                   if s.close_mark is not None and self._opens_sentence(s)}
        ids = []
        sid = 0
        for t in toks:
            if "\n" in t.text:
                sid += 1
                ids.append(sid)
                continue
            ids.append(sid)
            if not self.in_quote[t.i] and (t.text in _SENTENCE_FINAL or "\n" in t.whitespace_):
                sid += 1
            elif t.i in closing and t.i > 0 and t.i + 1 < len(toks) and toks[t.i - 1].text in _SENTENCE_FINAL \
                    and toks[t.i + 1].text[:1].isupper() and not any(self.speech[t.i + 1:t.i + 5]):
                # (but '"…?" Dougherty asked him.' goes on: the capital is the speaker's name)
                sid += 1
        return ids

    # -- lexical tests -----------------------------------------------------------------------
    def _is_speech(self, t: Token) -> bool:
        low = t.lower_
        if low in self.lex.SPEECH_FORMS or (t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in self.lex.SPEECH_LEMMAS):
            prev = t.nbor(-1).lower_ if t.i > 0 else ""
            if prev in self.lex.DETERMINERS or t.pos_ in ("PROPN", "ADP", "DET"):
                return False
            # "que l'affaire soit jugée", "was told": a passive speech verb has no speaker
            return not (any(c.dep_ in ("aux:pass", "auxpass") for c in t.children)
                        and not any(c.lower_ in ("se", "s'", "s’") for c in t.children))
        if low not in self.phrase_starts:
            return False
        for phrase in self.lex.PHRASE_CUES:
            if low == phrase[0] and t.i + len(phrase) <= len(self.doc) and all(
                self.doc[t.i + k].lower_ == w for k, w in enumerate(phrase)
            ):
                return True
        return False

    def _subject_mentions(self) -> list[tuple[int, int]]:
        """Person mentions that are grammatical subjects, or stand right after a speech verb
        ("a souligné Jacques Antenen"): the people a later pronoun most likely means."""
        events = []
        introduced = []
        for a, b, group in self._mentions_outside_quotes("PER"):
            subj = any(self.doc[i].dep_.startswith("nsubj") for i in range(a, b))
            if not subj:
                j = a - 1
                titles = 0  # "said Foreign Affairs Minister Vivian Balakrishnan": a title between
                while j >= 0 and (self.doc[j].lower_ in self.lex.SKIPPABLE or self.doc[j].pos_ in ("ADV", "DET")
                                  or self.doc[j].text == ","
                                  or (titles < 4 and self.doc[j].text[:1].isupper() and not self.speech[j]
                                      and self.doc[j].pos_ in ("PROPN", "NOUN", "ADJ"))):
                    titles += self.doc[j].text[:1].isupper()
                    j -= 1
                subj = j >= 0 and self.speech[j]
            if not subj:
                # "le ministre …, Philippe Goffin, a dit": the name in apposition to a subject
                subj = any(self.doc[i].dep_ in ("appos", "conj", "flat:name")
                           and self.doc[i].head.dep_.startswith("nsubj")
                           for i in range(a, b))
            if subj:
                events.append((a, group))
            elif b + 1 < len(self.doc) and self.doc[b].text == "," and any(
                    self.doc[k].dep_ == "appos" and a <= self.doc[k].head.i < b
                    for k in range(b + 1, min(b + 4, len(self.doc)))):
                introduced.append((a, group))
        # "Comme Joël Nowakowski, éleveur à Cheptainville, des agriculteurs …": a person
        # introduced with a role is who the next "il" is about, unless another person is the
        # subject of that sentence ("Bruno Le Maire a rencontré Jean Dupont, patron d'une PME")
        subject_sentences = {self.sent[tok] for tok, _ in events}
        events += [(tok, g) for tok, g in introduced if self.sent[tok] not in subject_sentences]
        return sorted(events)

    def _organisation_subjects(self) -> list[tuple[int, int]]:
        """Organisation mentions that are subjects or stand right after a speech verb ("La SNCF
        a annoncé", "précise Météo-France"): what a later "elle", "ils", "it" may stand for."""
        return [(a, group) for a, b, group in self._mentions_outside_quotes("ORG")
                if any(self.doc[i].dep_.startswith("nsubj") for i in range(a, b)) or (a > 0 and self.speech[a - 1])]

    def _mentions_outside_quotes(self, label: str) -> list[tuple[int, int, int]]:
        """(first token, end token, group) of the mentions with `label` written outside quotations."""
        found = []
        for m in self.index.mentions:
            if self.index.groups[m.group].label != label:
                continue
            a, b = self._tok(m.start), self._tok_end(m.end)
            if a < len(self.doc) and not self.in_quote[a]:
                found.append((a, b, m.group))
        return found

    def _recent_organisation(self, before_tok: int, after_tok: int = -1, gender: str | None = None) -> int:
        """The organisation that acted last before `before_tok`, within three sentences and after
        `after_tok`, or -1. With a French "il"/"elle", its determiner must agree: "la SNCF" is
        "elle", "les Insoumis" is neither."""
        limit = self.sent[before_tok] if before_tok < len(self.sent) else 10**9
        for tok, group in reversed(self.org_events):
            if not (after_tok < tok < before_tok and limit - self.sent[tok] <= 3):
                continue
            if gender in ("m", "f") and tok > 0:
                det = self.doc[tok - 1].lower_
                if det in self.lex.DETERMINERS and det not in (
                        self.lex.FEMININE_DETERMINERS if gender == "f" else self.lex.MASCULINE_DETERMINERS):
                    continue
            return group
        return -1

    # -- roles -------------------------------------------------------------------------------
    def _role_key(self, a: int, b: int) -> tuple[str, frozenset[str]] | None:
        words = [fold(t.text) for t in self.doc[a:b] if not t.is_punct and not t.is_space
                 and t.lower_ not in self.lex.DETERMINERS and t.lower_ not in _PREPOSITIONS]
        words = [self.role_synonyms.get(w, w) for w in words]  # "l'édile" is "le maire"
        heads = [w for w in words if w in self.role_nouns]
        if not heads:
            return None
        head = heads[0]
        return head, frozenset(w for w in words if w != head)

    def _bind(self, group: int, role: tuple[str, frozenset[str]] | None) -> None:
        if role is not None and group >= 0:
            roles = self.bound_roles.setdefault(group, [])
            if role not in roles:
                roles.append(role)

    def _bind_appositions(self) -> None:
        """Roles written next to a name: "le président Emmanuel Macron", "X, avocat de Y,"."""
        doc = self.doc
        for m in self.index.mentions:
            if self.index.groups[m.group].label != "PER":
                continue
            a, b = self._tok(m.start), self._tok_end(m.end)
            # role before the name, possibly followed by a comma
            j = a - 1
            if j >= 0 and doc[j].text == ",":
                j -= 1
            k = j
            while k >= 0 and k > a - 12 and not doc[k].is_punct and not doc[k].is_space \
                    and doc[k].pos_ not in ("VERB", "AUX", "PRON", "CCONJ"):
                k -= 1  # (not past "et", "mais": "l'élu X et le préfet Y" gives Y no role of X's)
            if j >= 0 and doc[j].pos_ != "ADP" and doc[j].lower_ not in _PREPOSITIONS:
                # ("l'avocat de Carlo Lavizzari": the role is someone else's)
                self._bind(m.group, self._role_key(k + 1, j + 1))
            # role after the name between commas
            if b < len(doc) and doc[b].text == ",":
                e = b + 1
                while e < len(doc) and e < b + 12 and not doc[e].is_punct and not doc[e].is_space \
                        and doc[e].pos_ not in ("VERB", "AUX"):
                    e += 1
                self._bind(m.group, self._role_key(b + 1, e))

    def _person(self, group: int) -> bool:
        return group >= 0 and self.index.groups[group].label == "PER"

    def _after_preposition(self, i: int) -> bool:
        """Whether the name at token i is the complement of a preposition ("à l'occasion du X")."""
        j = i
        while j > 0 and self.group_at[j - 1] == self.group_at[i]:
            j -= 1
        return j > 0 and (self.doc[j - 1].pos_ == "ADP" or self.doc[j - 1].lower_ in ("du", "des", "au", "aux"))

    def _speaker_group(self, group: int) -> bool:
        return group >= 0 and self.index.groups[group].label in _SPEAKER_LABELS

    # -- resolution --------------------------------------------------------------------------
    def _gender_of(self, group: int) -> str | None:
        g = self.index.groups[group]
        return g.gender or (g.name_gender if self.trust_name_genders else None)

    def _compatible(self, group: int, gender: str | None) -> bool:
        if gender not in ("m", "f"):
            return gender != "p"
        known = self._gender_of(group)
        return known is None or known == gender

    def _recent_person(self, before_tok: int, gender: str | None, exclude_sentence: bool = True,
                       role: tuple[str, frozenset[str]] | None = None) -> int:
        """Most recent person that was a subject or a speaker before `before_tok`."""
        limit_sent = self.sent[before_tok] if before_tok < len(self.sent) else 10**9
        gendered = self._gendered_nearby(before_tok, gender, limit_sent, role) if gender in ("m", "f") else -1
        if gender in ("m", "f") and self.speaker_events:
            # the speaker of the quotation just before keeps the floor: "«…», s'est dit X. «…»,
            # a-t-il poursuivi" is still X, even when X's gender is unknown — unless someone
            # known to have the pronoun's gender was mentioned since or nearby
            tok, group = max((e for e in self.speaker_events if e[0] < before_tok), default=(-1, -1))
            if group >= 0 and 0 < limit_sent - self.sent[tok] <= 2 and self._compatible(group, gender) \
                    and (self._gender_of(group) == gender or gendered < 0 or gendered == group) \
                    and not (role and self._role_conflict(group, role)) \
                    and not any(tok < t < before_tok and g != group for t, g in self.subject_events):
                return group
        if gender in ("m", "f"):
            # someone known to have the pronoun's gender ("Mme Anne Martin" for "elle") beats a
            # more recent person of unknown gender, within a few sentences
            known = [(tok, group) for tok, group in self.speaker_events + self.subject_events
                     if tok < before_tok and self.sent[tok] != limit_sent and limit_sent - self.sent[tok] <= 4
                     and self._gender_of(group) == gender
                     and not (role and self._role_conflict(group, role))]
            if known:
                return max(known)[1]  # the most recent of them, speaker or subject
        if gendered >= 0:
            return gendered  # a person of the pronoun's known gender beats one of unknown gender
        best_tok, best = -1, -1
        for events in (self.subject_events, self.speaker_events):
            for tok, group in reversed(events):
                if tok >= before_tok or (exclude_sentence and self.sent[tok] == limit_sent):
                    continue
                if not self._compatible(group, gender) or (role and self._role_conflict(group, role)):
                    continue
                if tok > best_tok:
                    best_tok, best = tok, group
                break
        if best < 0:
            # no subject yet: any earlier person mention outside quotations
            for m in reversed(self.index.mentions):
                a = self._tok(m.start)
                if a < before_tok and not self.in_quote[min(a, len(self.doc) - 1)] \
                        and self.index.groups[m.group].label == "PER" and self._compatible(m.group, gender):
                    return m.group
        return best

    def _gendered_nearby(self, before_tok: int, gender: str | None, limit_sent: int,
                         role: tuple[str, frozenset[str]] | None) -> int:
        """The most recent person known to have `gender` (title, first name, agreeing participle)
        mentioned outside quotations in the two sentences before `before_tok`, or -1."""
        for m in reversed(self.index.mentions):
            a = self._tok(m.start)
            if a >= before_tok or a >= len(self.doc) or self.in_quote[a]:
                continue
            if limit_sent - self.sent[a] > 2:
                break
            if self.sent[a] == limit_sent:
                continue
            g = self.index.groups[m.group]
            if g.label == "PER" and self._gender_of(m.group) == gender and not self._after_preposition(a) \
                    and not self._names_a_complement(a) and not (role and self._role_conflict(m.group, role)):
                return m.group
        return -1

    def _names_a_complement(self, i: int) -> bool:
        """Whether the name at token i follows a noun complement and a comma: "directeur de
        campagne de son principal opposant, Cellou Dalein Diallo" names the opponent, who is
        not the one acting."""
        doc = self.doc
        if i < 3 or doc[i - 1].text != "," or doc[i - 2].pos_ != "NOUN":
            return False
        k = i - 3
        while k > 0 and i - k <= 6 and doc[k].pos_ in ("DET", "ADJ", "NOUN"):
            k -= 1
        return doc[k].lower_ in ("de", "du", "des", "d'", "d’", "of")

    def _role_conflict(self, group: int, role: tuple[str, frozenset[str]]) -> bool:
        same_head = [r for r in self.bound_roles.get(group, []) if r[0] == role[0]]
        return bool(same_head) and not any(r[1] <= role[1] or role[1] <= r[1] for r in same_head)

    def _resolve_role(self, ref: _Ref) -> int:
        role = ref.role
        assert role is not None
        # "assure le chef des urgences du centre hospitalier de Vichy, le Dr David Dall'Aqua":
        # the holder is named right after the role, between commas
        k = ref.end if ref.end > ref.token else ref.token + 1
        while k < len(self.doc) and k < ref.token + 14 and self.group_at[k] < 0 and not self.doc[k].is_punct \
                and self.sent[k] == self.sent[ref.token]:
            k += 1  # the rest of the role phrase
        if k < len(self.doc) and self._person(self.group_at[k]) and k > ref.token + 1 \
                and self.sent[k] == self.sent[ref.token] and not self._after_preposition(k) \
                and not any("Fin" in self.doc[j].morph.get("VerbForm") for j in range(ref.token, k)):
            # "le ministre délégué aux Transports Jean-Baptiste Djebbari": named right after it
            self._bind(self.group_at[k], role)
            return self.group_at[k]
        if k + 1 < len(self.doc) and self.doc[k].text == ",":
            j = k + 1
            while j < len(self.doc) and j < k + 4 and (self.doc[j].lower_ in self.lex.DETERMINERS
                                                        or self.doc[j].lower_.rstrip(".") in _TITLES):
                j += 1
            if j < len(self.doc) and self._person(self.group_at[j]):
                self._bind(self.group_at[j], role)
                return self.group_at[j]
        matches = [g for g, roles in self.bound_roles.items()
                   if any(r[0] == role[0] and (r[1] <= role[1] or role[1] <= r[1]) for r in roles)]
        if matches:
            # the most recently mentioned of the people holding that role
            def last_seen(g: int) -> int:
                return max((self._tok(m.start) for m in self.index.groups[g].mentions
                            if self._tok(m.start) < ref.token), default=-1)
            best = max(matches, key=last_seen)
            if last_seen(best) >= 0:
                return best
        if ref.indefinite:
            # "A top Senate Republican says …" introduces someone named just after
            for tok, group in self.subject_events:
                if tok > ref.token and self.sent[tok] <= self.sent[ref.token] + 2 \
                        and self._compatible(group, ref.gender) and not self._role_conflict(group, role):
                    self._bind(group, role)
                    return group
        group = self._recent_person(ref.token, ref.gender, exclude_sentence=False, role=role)
        if group < 0 and not ref.indefinite:
            for tok, g in self.subject_events:  # a role named before its holder ("l'autorité de tutelle")
                if tok > ref.token:
                    group = g
                    break
        self._bind(group, role)
        return group

    def resolve(self, ref: _Ref | None) -> int:
        if ref is None or ref.kind == "none":
            return -1
        if ref.kind == "ent":
            label = self.index.groups[ref.group].label
            # a place speaks only as the seat of a government named as a source ("selon Minsk")
            return ref.group if label in _SPEAKER_LABELS or (ref.source and label == "LOC") else -1
        if ref.kind == "pron":
            if ref.gender in ("p", "n"):
                # "s'indignent-ils" after "Les Jeunes Agriculteurs", "it said" after "the agency"
                return self._recent_organisation(ref.token)
            opener = self._sentence_opening_source(ref.token, ref.gender)
            if opener >= 0:
                return opener  # "Pour Frédéric Lagache, « … », déplore-t-il": the person of "Pour X"
            group = self._recent_person(ref.token, ref.gender)
            last_seen = max((t for t, g in self.subject_events + self.speaker_events
                             if g == group and t < ref.token), default=-1) if group >= 0 else -1
            org = self._recent_organisation(ref.token, after_tok=last_seen, gender=ref.gender)
            if org >= 0 and self.lang != "en":
                return org  # "La SNCF … a-t-elle indiqué": the organisation acted since the person
            if group < 0 and ref.gender in ("m", "f"):
                # a first name's usual gender is only a guess ("Satya" … "she"): drop it if
                # nobody fits the pronoun with it
                self.trust_name_genders = False
                group = self._recent_person(ref.token, ref.gender)
                self.trust_name_genders = True
            if group >= 0 and ref.gender in ("m", "f") and self.index.groups[group].gender is None:
                self.index.groups[group].gender = ref.gender  # "a-t-elle ajouté" tells X is a woman
            return group
        if ref.kind == "rel":
            for i in range(ref.token - 1, max(ref.token - 15, -1), -1):
                g = self.group_at[i]
                if g >= 0 and self.index.groups[g].label == "PER" and not self.in_quote[i]:
                    return g
                if self.sent[i] != self.sent[ref.token]:
                    break
            for i in (ref.token - 1, ref.token - 2):  # no person: "le syndicat SNES-FSU, qui estime"
                if i >= 0 and self.group_at[i] >= 0 and self.index.groups[self.group_at[i]].label == "ORG":
                    return self.group_at[i]
            return self._recent_person(ref.token, None, exclude_sentence=False)
        if ref.kind == "role":
            return self._resolve_role(ref)
        return -1

    # -- referring expressions ---------------------------------------------------------------
    def _ref_at(self, i: int, after_verb: bool) -> _Ref | None:
        """The referring expression starting at token i, if any."""
        doc = self.doc
        if i >= len(doc) or self.in_quote[i]:
            return None
        t = doc[i]
        g = self.group_at[i]
        if g >= 0 and self._speaker_group(g):
            return _Ref("ent", i, group=g)
        low = t.lower_
        if low in self.lex.PRONOUNS and t.pos_ == "PRON":
            return _Ref("pron", i, gender=self.lex.PRONOUNS[low])
        if low in self.lex.RELATIVE_PRONOUNS:
            return _Ref("rel", i)
        if t.pos_ == "DET" and i + 1 < len(doc) and self._speaker_group(self.group_at[i + 1]) \
                and fold(doc[i + 1].text) not in self.role_nouns:
            g = self.group_at[i + 1]
            e = i + 1
            while e < len(doc) and self.group_at[e] == g:
                e += 1
            if e >= len(doc) or doc[e].pos_ not in ("NOUN", "PROPN"):
                return _Ref("ent", i + 1, group=g)  # "the Bank of England", "la BCE"
        if t.pos_ in ("DET", "NOUN", "PROPN", "ADJ") and low not in ("ce", "cela", "ça", "it", "this"):
            # a noun phrase: up to the next comma/verb/quotation
            e = i
            while e < len(doc) and e < i + 10 and not self.in_quote[e] and not doc[e].is_punct \
                    and (doc[e].pos_ not in ("VERB", "AUX", "PRON", "SCONJ", "CCONJ")
                         or (e == i + 1 and doc[e].lower_ in ("un", "une"))  # "l'un de ses avocats"

                         or (doc[e].pos_ == "CCONJ" and e + 1 < len(doc) and doc[e + 1].lower_ in _PREPOSITIONS)):
                if self._person(self.group_at[e]) and (e == i or (doc[e - 1].lower_ not in _PREPOSITIONS
                                                         and doc[e - 1].pos_ != "DET")):
                    break  # a name right after the role noun is its holder, not part of the role
                e += 1
            if e == i:
                return None
            org = self._org_by_kind(i, e)
            if org is not None:
                return org
            role = self._role_key(i, e)
            head_noun = next((k for k in range(i, e) if doc[k].pos_ == "NOUN"), None)  # "le chef des urgences"
            plural = head_noun is not None and "Plur" in doc[head_noun].morph.get("Number")
            # "le ministre …, Philippe Goffin": the name in apposition is the referent
            comma = e
            if comma < len(doc) and doc[comma].text == "(":
                # "le numéro 2 de la Commission électorale (Céni), Bakary Mansaré"
                close = next((k for k in range(comma + 1, min(comma + 8, len(doc))) if doc[k].text == ")"), None)
                comma = close + 1 if close is not None else comma
            name = comma + 1
            if name + 1 < len(doc) and doc[name].lower_ in self.lex.DETERMINERS:
                name += 1  # "…, le Dr David Dall'Aqua"
            if name + 1 < len(doc) and doc[name].lower_.rstrip(".") in _TITLES:
                name += 1  # "l'avocat de la famille, Me Jean Dupont"
            if comma + 1 < len(doc) and doc[comma].text == "," and self._person(self.group_at[name]):
                g = self.group_at[name]
                self._bind(g, role)
                return _Ref("ent", name, group=g)
            if e < len(doc) and self.group_at[e] >= 0 and self.index.groups[self.group_at[e]].label == "PER":
                self._bind(self.group_at[e], role)  # "le président biélorusse Alexandre Loukachenko"
                return _Ref("ent", e, group=self.group_at[e])
            if role is None or plural:
                return _Ref("none", i)
            det = doc[i].lower_
            gender = ("f" if det in self.lex.FEMININE_DETERMINERS
                      else "m" if det in self.lex.MASCULINE_DETERMINERS else None)
            if gender is None and head_noun is not None and self.lex is lexicon_fr:
                # "l'élu" / "l'élue": the noun's own form tells, when the role has both forms
                word = fold(doc[head_noun].text)
                if word.endswith("e") and word[:-1] in self.role_nouns:
                    gender = "f"
                elif word + "e" in self.role_nouns:
                    gender = "m"
            return _Ref("role", i, role=role, indefinite=det in self.lex.INDEFINITE, gender=gender, end=e)
        return None

    def _org_by_kind(self, a: int, b: int) -> _Ref | None:
        """'le syndicat', 'la centrale', 'the union', 'the ministry': an organisation named by its
        kind stands for the organisation of that kind mentioned before (the CGT), or for no one."""
        doc = self.doc
        words = []
        for k in range(a, b):
            if doc[k].is_space or "\n" in doc[k].text or doc[k].is_punct:
                break
            if (doc[k].pos_ == "ADP" or doc[k].lower_ in self.lex.SKIPPABLE) and words:
                break  # "la centrale dans un communiqué": the adjunct is not part of the name
            if doc[k].lower_ not in self.lex.DETERMINERS:
                words.append(k)
        if not words or doc[a].lower_ in self.lex.INDEFINITE or doc[words[0]].pos_ != "NOUN":
            return None
        noun = fold(doc[words[0]].text)
        kind = self.org_kinds.get(noun)
        if kind is None or "Plur" in doc[words[0]].morph.get("Number"):
            return None
        # "le syndicat SNES-FSU", "l'association L214": the name follows the kind
        nxt = words[0] + 1
        if nxt < len(doc) and self._speaker_group(self.group_at[nxt]) \
                and self.index.groups[self.group_at[nxt]].label == "ORG":
            return _Ref("ent", nxt, group=self.group_at[nxt])
        rest = [fold(doc[k].text) for k in words[1:]]
        if rest and (noun == "centrale" and rest != ["syndicale"] or len(rest) > 1
                     or any(doc[k].pos_ != "ADJ" for k in words[1:])):
            return None  # "la centrale nucléaire" is a power plant
        names = frozenset(fold(w) for w in self.lex.ORG_KIND_NAMES.get(kind, ()))
        for m in reversed(self.index.mentions):
            if m.start >= doc[a].idx:
                continue
            group = self.index.groups[m.group]
            if group.label != "ORG":
                continue
            tokens = {fold(w) for w in re.split(r"[\s']+", group.canonical) if w}
            k = self._tok(m.start)
            before = {fold(doc[j].text) for j in range(max(k - 2, 0), k)}
            if noun in tokens or tokens & names or noun in before:
                return _Ref("ent", k, group=m.group)
        # "l'organisme", "la compagnie" with no name of its kind around: the organisation that
        # acted last, if any did in the last sentences
        recent = self._recent_organisation(a)
        if recent >= 0:
            return _Ref("ent", a, group=recent)
        # … or the only organisation named outside quotations in the last sentences ("Selon
        # l'IRM, … C'est l'IRM qui l'annonce. « … », explique l'institut")
        limit = self.sent[a]
        nearby = {g for t, _, g in self._mentions_outside_quotes("ORG") if t < a and limit - self.sent[t] <= 3}
        if len(nearby) == 1:
            return _Ref("ent", a, group=next(iter(nearby)))
        return _Ref("none", a)

    def _clitic(self, verb: int) -> _Ref | None:
        """Inverted subject pronoun around a French verb group: "a-t-il ajouté", "dit-elle"."""
        for i in range(max(verb - 4, 0), min(verb + 3, len(self.doc))):
            low = self.doc[i].lower_
            if low in ("-il", "-elle", "-ils", "-elles", "-on"):
                return _Ref("pron", i, gender={"-il": "m", "-elle": "f"}.get(low, "p" if low.endswith("s") else None))
        return None

    def _subject(self, verb: int, post_quote: bool) -> _Ref | None:
        doc = self.doc
        ref = self._clitic(verb) if self.lang != "en" else None
        if ref:
            return ref
        # "Xinhua quoted Poroshenko as saying": the one quoted speaks, not the one quoting
        if self.lang == "en" and doc[verb].lower_ == "saying" and verb > 0 and doc[verb - 1].lower_ == "as":
            quoting = doc[verb].head
            for _ in range(2):
                if quoting.lemma_.lower() == "quote":
                    obj = next((c for c in quoting.children if c.dep_ in ("dobj", "obj")), None)
                    if obj is not None and self._speaker_group(self.group_at[obj.i]):
                        return _Ref("ent", obj.i, group=self.group_at[obj.i])
                quoting = quoting.head
        if self.lang == "en":
            # "X said on Monday in London": a subject written before an English verb is the
            # subject; the words after it are adjuncts, not an inverted subject
            left = self._left_subject(verb)
            if left is not None:
                return left
        elif not post_quote:
            # a French subject before a cue that precedes the quotation: in "X a fustigé la
            # visite du chef de la diplomatie : « … »" the words after the verb are its object
            # (a subject that names nobody does not count: "25 policiers blessés, a dit X")
            left = self._left_subject(verb)
            if left is not None and left.kind in ("ent", "role"):
                return left
        # a subject written after the verb: "a lancé mercredi le ministre", "said Mrs Beckett"
        i = verb + 1
        crossed_preposition = False
        while i < len(doc) and i < verb + 14:
            if doc[i].text == "," and i + 1 < len(doc) and self.sent[i] == self.sent[verb]:
                # "explique, de son côté, Me Bernard André": a parenthetical of skippable words
                # between commas sits between the verb and its subject
                j = i + 1
                while j < len(doc) and j < i + 6 and (doc[j].lower_ in self.lex.SKIPPABLE
                                                      or doc[j].pos_ in ("ADV", "NUM")):
                    j += 1
                if j > i + 1 and j < len(doc) and doc[j].text == ",":
                    i = j + 1
                    continue
            if doc[i].text == "," and crossed_preposition and i + 1 < len(doc) and self.sent[i] == self.sent[verb]:
                i += 1  # "explique à TNTV, la procureure de la République Solène Belaouar"
                continue
            pp_end = self._adjunct_end(i) if doc[i].lower_ == "auprès" and post_quote else None
            if pp_end is not None:
                crossed_preposition = True  # "reconnaît auprès de l'AFP la secrétaire confédérale X"
                i = pp_end
                continue
            if doc[i].lower_ in self.lex.SKIPPABLE or doc[i].pos_ in ("ADV", "NUM") \
                    or ((doc[i].pos_ == "ADJ" or "Part" in doc[i].morph.get("VerbForm")) and doc[i].is_lower
                        and i + 1 < len(doc) and doc[i + 1].pos_ == "DET") \
                    or (self.lex is lexicon_fr and self.speech[i]) \
                    or doc[i].lower_ in ("valoir", "savoir", "part", "en", "avant"):
                crossed_preposition = crossed_preposition or doc[i].pos_ == "ADP"
                i += 1
                continue
            pp_end = self._adjunct_end(i) if post_quote else None
            if pp_end is None:
                break
            crossed_preposition = True  # "a déclaré à Paris le ministre", "said in a statement"
            i = pp_end
        if post_quote or self.lex is lexicon_fr:
            cand = self._ref_at(i, after_verb=True) if i < len(doc) and self.sent[i] == self.sent[verb] else None
            if cand and cand.kind == "ent" and (self.index.groups[cand.group].label not in _SPEAKER_LABELS
                                                or (crossed_preposition and doc[i - 1].pos_ == "ADP")):
                # "said in London", "a déclaré à Moscou": a place is never a speaker; but the
                # subject may follow the complement: "a déclaré à Sputnik Afrique Yacine Fall"
                j = i
                while j < len(doc) and self.group_at[j] == cand.group:
                    j += 1
                if j + 1 < len(doc) and doc[j].text == ",":
                    j += 1  # "explique à TNTV, la procureure de la République Solène Belaouar"
                after = self._ref_at(j, after_verb=True) if j < len(doc) and self.sent[j] == self.sent[verb] else None
                cand = after if after is not None and (after.kind == "role" or (
                    after.kind == "ent" and self._speaker_group(after.group))) else None
            if cand and cand.kind == "ent" and self.index.groups[cand.group].label == "ORG":
                # "said Weber State University zoology professor John Mull": the person the
                # organisation's name qualifies is the speaker
                j = i
                while j < len(doc) and j < i + 10 and self.group_at[j] == cand.group:
                    j += 1
                for k in range(j, min(j + 5, len(doc))):
                    if doc[k].is_punct or doc[k].pos_ in ("VERB", "AUX", "ADP"):
                        break
                    if self._person(self.group_at[k]):
                        cand = _Ref("ent", k, group=self.group_at[k])
                        break
            if cand and (cand.kind in ("ent", "role") or (cand.kind == "none" and post_quote)):
                return cand
        # "… and Sanders countering that …": a participle with no subject of its own whose
        # left neighbour is a person takes that person, not the subject of the clause above
        if self.lang == "en" and doc[verb].tag_ == "VBG" and verb > 0 \
                and not any(c.dep_.startswith("nsubj") for c in doc[verb].children) \
                and self._person(self.group_at[verb - 1]) and not self._after_preposition(verb - 1):
            return _Ref("ent", verb - 1, group=self.group_at[verb - 1])
        # "X said …, adding, “…”": a speech participle without a subject of its own speaks for
        # the reporting verb it hangs from, wherever the parser attached it
        if self.lang == "en" and doc[verb].tag_ == "VBG" \
                and not any(c.dep_.startswith("nsubj") for c in doc[verb].children):
            up = doc[verb].head
            for _ in range(4):
                if up.i != verb and self.speech[up.i] and any(c.dep_ == "nsubj" for c in up.children):
                    return self._subject(up.i, post_quote=False)
                if up.head is up:
                    break
                up = up.head
        # the parser's subject, climbing out of participles and infinitives
        head = doc[verb]
        for _ in range(4):
            subjects = sorted((c for c in head.children if c.dep_.startswith("nsubj") and not self.in_quote[c.i]
                               and self.sent[c.i] == self.sent[verb]), key=lambda c: abs(c.i - verb))
            if subjects:
                s = subjects[0]
                g = self.group_at[s.i]
                if self._speaker_group(g):
                    if self.index.groups[g].label == "ORG" and s.left_edge.i < s.i:
                        # "le ministre de la Santé": a role names a person before its ministry
                        role = self._ref_at(s.left_edge.i, after_verb=False)
                        if role is not None and role.kind == "role":
                            return role
                    return _Ref("ent", s.i, group=g)
                if s.i < verb and s.pos_ in ("NOUN", "PROPN", "ADJ"):
                    named = self._apposed_name(s.i, verb)
                    if named is not None:
                        return named
                start = s.left_edge.i if s.pos_ in ("NOUN", "PROPN") and s.left_edge.i >= s.i - 3 else s.i
                ref = self._ref_at(start, after_verb=False) or self._ref_at(s.i, after_verb=False)
                if (ref is None or ref.kind == "none") and start >= 2 and doc[start - 1].text == "," \
                        and self._person(self.group_at[start - 2]):
                    # "Siyakha Traoré, le frère de Bouna, s'est dit": the parser took the apposition
                    return _Ref("ent", start - 2, group=self.group_at[start - 2])
                return ref
            if head.dep_ in ("ROOT",) or head.head is head:
                break
            head = head.head
        return self._subject_on_left(verb)

    def _adjunct_end(self, i: int) -> int | None:
        """End of a prepositional adjunct starting at token i ("à Bruxelles", "à l'AFP",
        "devant la presse", "in a statement"), or None when token i does not open one."""
        doc = self.doc
        if doc[i].lower_ == "auprès" and i + 1 < len(doc) and doc[i + 1].lower_ in ("de", "du", "des", "d'", "d’"):
            i += 1  # "auprès de": a preposition of two words
        elif doc[i].pos_ != "ADP" or doc[i].lower_ in ("de", "of", "by", "par", "selon"):
            return None
        j = i + 1
        g = self.group_at[j] if j < len(doc) else -1
        if g >= 0 and not self._person(g):
            while j < len(doc) and self.group_at[j] == g:
                j += 1
            return j
        while j < len(doc) and j < i + 4 and doc[j].pos_ in ("DET", "ADJ", "NUM"):
            j += 1
        if j < len(doc) and doc[j].pos_ in ("NOUN", "PROPN") and not self._person(self.group_at[j]) \
                and fold(doc[j].text) not in self.role_nouns:
            while True:
                while j < len(doc) and (doc[j].pos_ in ("NOUN", "PROPN", "ADJ") or (
                        doc[j].text == "-" and not doc[j - 1].whitespace_)) and not self._person(self.group_at[j]):
                    j += 1
                # "à la gare de Bruxelles-Midi": the complement of the place is part of it
                k = j + 1
                while k < len(doc) and doc[k].pos_ == "DET":
                    k += 1
                if j < len(doc) and doc[j].lower_ in ("de", "du", "des", "d'", "d’") and k < len(doc) \
                        and doc[k].pos_ in ("NOUN", "PROPN") and not self._person(self.group_at[k]) \
                        and fold(doc[k].text) not in self.role_nouns:
                    j = k
                    continue
                return j
        return None

    def _apposed_name(self, subject: int, verb: int) -> _Ref | None:
        """A name closing a long subject phrase right before its verb: "New York Post debate analyst
        and the founder of X, Peter Kauffmann, declared", "Ancien ministre, …, François Bayrou a
        répondu". The name must follow a comma and not be a preposition's complement."""
        doc = self.doc
        k = verb - 1
        while k > subject and (doc[k].pos_ in ("AUX", "ADV") or doc[k].text == ","
                               or doc[k].lower_ in self.lex.AUXILIARIES
                               or doc[k].lower_ in ("ne", "n'", "n’", "se", "s'", "s’")):
            k -= 1
        g = self.group_at[k] if k > subject else -1
        if not self._person(g) or self.in_quote[k] or self.sent[k] != self.sent[verb]:
            return None
        j = k
        while j > 0 and self.group_at[j - 1] == g:
            j -= 1
        if j > 0 and doc[j - 1].lower_.rstrip(".") in _TITLES:
            j -= 1  # "…, Me Jean Dupont, a dit"
        while j > subject + 1 and (fold(doc[j - 1].text) in self.role_nouns
                                   or doc[j - 1].lower_ in self.lex.DETERMINERS):
            j -= 1  # "Le porte-parole militaire, le colonel Abdoulaye Maiga, a déclaré"
        if j <= subject or doc[j - 1].text != "," or self._after_preposition(k):
            return None
        return _Ref("ent", k, group=g)

    def _left_subject(self, verb: int) -> _Ref | None:
        """The parser's subject of `verb` when it stands left of it, outside quotations."""
        for c in sorted(self.doc[verb].children, key=lambda c: -c.i):  # the nearest first
            if c.dep_.startswith("nsubj") and c.i < verb and not self.in_quote[c.i] \
                    and self.sent[c.i] == self.sent[verb]:
                g = self.group_at[c.i]
                if g >= 0 and self.index.groups[g].label in _SPEAKER_LABELS:
                    return _Ref("ent", c.i, group=g)
                if c.pos_ in ("NOUN", "PROPN", "ADJ"):
                    named = self._apposed_name(c.i, verb)
                    if named is not None:
                        return named
                    # "Mum-of-four Tracey Tomlinson, volunteer coordinator, said": the parser
                    # made the name an apposition of the noun before it
                    apposed = next((a for a in c.children if a.dep_ == "appos" and a.i < verb
                                    and self._person(self.group_at[a.i])), None)
                    if apposed is not None and not self._person(g):
                        return _Ref("ent", apposed.i, group=self.group_at[apposed.i])
                start = c.left_edge.i if c.pos_ in ("NOUN", "PROPN") and c.left_edge.i >= c.i - 3 else c.i
                return self._ref_at(start, after_verb=False) or self._ref_at(c.i, after_verb=False)
        return None

    def _subject_on_left(self, verb: int) -> _Ref | None:
        """Nearest referring expression left of a verb group when the parse gave no subject."""
        doc = self.doc
        i = verb - 1
        while i >= 0:
            if i >= 2 and doc[i - 2].lower_ == "quant" and doc[i - 1].lower_ in ("à", "a"):
                i -= 3  # "X, …, s'est quant à lui dit": the pronoun only stresses the subject
                continue
            if not (doc[i].pos_ in ("AUX", "ADV") or doc[i].lower_ in self.lex.AUXILIARIES
                    or doc[i].lower_ in self.lex.SKIPPABLE
                    or doc[i].lower_ in ("ne", "n'", "n’", "se", "s'", "s’")):
                break
            i -= 1
        # skip a parenthetical between subject and verb: "X, qui a été applaudi …, a soutenu"
        for _ in range(2):
            if i >= 0 and doc[i].text in (",", ")"):
                opener = "," if doc[i].text == "," else "("
                j = i - 1
                while j >= 0 and j > i - 30 and doc[j].text != opener and self.sent[j] == self.sent[verb]:
                    j -= 1
                if j < 0 or doc[j].text != opener:
                    break
                i = j - 1
                while i >= 0 and doc[i].lower_ in self.lex.SKIPPABLE:
                    i -= 1
        for _ in range(2):
            # "Siyakha Traoré, le frère de Bouna, …": one more apposition between name and verb
            k = i
            while k >= 0 and k > i - 12 and doc[k].text != "," and self.sent[k] == self.sent[verb]:
                k -= 1
            if 0 < k < i and doc[k].text == "," and doc[k + 1].pos_ == "DET" \
                    and self._person(self.group_at[k - 1]) \
                    and not any(doc[x].pos_ in ("VERB", "AUX") for x in range(k + 1, i + 1)):
                i = k - 1
            else:
                break
        if i < 0 or self.in_quote[i] or self.sent[i] != self.sent[verb]:
            return None
        if self.group_at[i] >= 0:
            j = i
            while j > 0 and self.group_at[j - 1] == self.group_at[i]:
                j -= 1
            if j == 0 or doc[j - 1].lower_ not in _PREPOSITIONS:
                return _Ref("ent", i, group=self.group_at[i])
            i = j - 2  # "le maître du Kremlin": the place belongs to a role noun phrase
            if i < 0:
                return None
        if doc[i].lower_ in self.lex.PRONOUNS or doc[i].lower_ in self.lex.RELATIVE_PRONOUNS:
            return self._ref_at(i, after_verb=False)
        if doc[i].pos_ in ("NOUN", "ADJ", "PROPN", "NUM"):
            # walk back to the determiner that opens the whole noun phrase
            # ("le député de la 3e circonscription du Haut-Rhin")
            j = i
            while j > 0 and j > i - 12 and not self.in_quote[j - 1] and self.sent[j - 1] == self.sent[verb] and (
                    doc[j - 1].pos_ in ("NOUN", "ADJ", "DET", "NUM", "PROPN") or doc[j - 1].lower_ in _PREPOSITIONS):
                j -= 1
            while j < i and doc[j].pos_ != "DET":
                j += 1
            if doc[j].pos_ == "DET":
                return self._ref_at(j, after_verb=False)
        return None

    def _source_at(self, i: int) -> _Ref | None:
        """The source named after "selon"/"according to"; a place there is its government."""
        g = self.group_at[i] if i < len(self.doc) else -1
        if g >= 0 and self.index.groups[g].label == "LOC" and not self.in_quote[i]:
            return _Ref("ent", i, group=g, source=True)
        return self._ref_at(i, after_verb=True)

    def _acted_on(self, k: int) -> bool:
        """Whether the name at token k is the object of a verb, not a subject."""
        g = self.group_at[k]
        a = b = k
        while a > 0 and self.group_at[a - 1] == g:
            a -= 1
        while b + 1 < len(self.doc) and self.group_at[b + 1] == g:
            b += 1
        return any(self.doc[j].dep_ in ("obj", "iobj", "dobj", "obl", "obl:arg") for j in range(a, b + 1))

    def _participle_source(self, verb: int, before: int) -> _Ref | None:
        """«Selon Didier Aubert, de la CFDT, c'est « … », rappelant que « … »»: a French present
        participle without a subject of its own speaks for the source named at the start of
        its sentence."""
        doc = self.doc
        if self.lex is not lexicon_fr or not doc[verb].lower_.endswith("ant") \
                or any(c.dep_.startswith("nsubj") for c in doc[verb].children):
            return None
        start = verb
        while start > 0 and self.sent[start - 1] == self.sent[verb]:
            start -= 1
        found = self._selon(start, min(before, start + 6))
        return found[0] if found and found[0] is not None and found[0].kind in ("ent", "role") else None

    def _selon(self, a: int, b: int) -> tuple[_Ref | None, int] | None:
        """A "selon X" / "according to X" source inside tokens [a, b)."""
        doc = self.doc
        for i in range(b - 1, a - 1, -1):
            low = doc[i].lower_
            if self.in_quote[i]:
                continue
            if low in ("selon", "d'après", "d’après"):
                return self._source_at(i + 1), i
            if low == "après" and i > 0 and doc[i - 1].lower_ in ("d'", "d’"):
                return self._source_at(i + 1), i - 1  # the tokenizer cuts "D'après" in two
            opens = i == 0 or self.sent[i - 1] != self.sent[i] or doc[i - 1].is_space or doc[i - 1].is_punct
            if low == "pour" and self.lex is lexicon_fr and opens:
                # "Pour Dominique Laurent, …" / "Pour le procureur, …": the opinion of X
                ref = self._source_at(i + 1)
                end = ref.end if ref is not None and ref.end > i else i + 1
                while ref is not None and ref.kind == "ent" and end < len(doc) and self.group_at[end] == ref.group:
                    end += 1
                if ref is not None and ref.kind in ("ent", "role") and any(
                        doc[k].text == "," for k in range(end, min(end + 3, len(doc)))) \
                        and (ref.kind == "role" or self._speaker_group(ref.group)):
                    return ref, i
            if low == "to" and i > 0 and doc[i - 1].lower_ == "according":
                return self._source_at(i + 1), i - 1
        return None

    def _sentence_opening_source(self, tok: int, gender: str | None) -> int:
        """The person named by a "Pour X," / "Selon X," that opens the sentence of token tok
        (French), when the pronoun's gender does not exclude them; else -1."""
        if self.lex is not lexicon_fr or tok >= len(self.doc):
            return -1
        first = tok
        while first > 0 and self.sent[first - 1] == self.sent[tok]:
            first -= 1
        while first < tok and (self.doc[first].is_space or self.doc[first].is_punct or self.in_quote[first]):
            first += 1
        if self.doc[first].lower_ not in ("pour", "selon"):
            return -1
        found = self._selon(first, first + 1)
        if not found or found[0] is None or found[0].kind != "ent":
            return -1
        group = found[0].group
        if self.index.groups[group].label != "PER" or not self._compatible(group, gender):
            return -1
        return group

    def _source_cue_text(self, k: int) -> str:
        """The words of a source preposition starting at token k: "selon", "D'après", "according to"."""
        doc = self.doc
        if k + 1 < len(doc) and doc[k + 1].lower_ in ("après", "to") and doc[k].lower_ in ("d'", "d’", "according"):
            return doc[k:k + 2].text
        return doc[k].text

    # -- the cue search ----------------------------------------------------------------------
    def _cue_from_verb(self, verb: int, post_quote: bool) -> tuple[_Ref | None, str]:
        doc = self.doc
        cue_start = verb
        while cue_start > 0 and (doc[cue_start - 1].lower_ in self.lex.AUXILIARIES
                                 or doc[cue_start - 1].lower_ in ("-t", "-il", "-elle", "-on")):
            cue_start -= 1
        phrase_end = verb + 1
        for phrase in self.lex.PHRASE_CUES:
            if doc[verb].lower_ == phrase[0] and all(
                verb + k < len(doc) and doc[verb + k].lower_ == w for k, w in enumerate(phrase)
            ):
                phrase_end = verb + len(phrase)
        cue = doc[cue_start:phrase_end].text
        cue = re.sub(r"\s+-", "-", cue)
        return self._subject(verb, post_quote), cue

    def attribute(self) -> list[Attribution]:
        results: list[Attribution] = []
        groups_of: list[int] = []
        cue_found: list[bool] = []
        refs: list[_Ref | None] = []
        self.source_cue: list[bool] = []
        for span in self.spans:
            ref, cue, found = self._find_cue(span)
            self.source_cue.append(bool(ref is not None and ref.source) or (cue or "").lower() in (
                "selon", "d'après", "d’après", "according to"))
            group = self.resolve(ref) if ref else -1
            if group < 0 and ref is not None and ref.kind == "none" and self._document_subject(ref.token):
                # "…," the statement read: the author named with the statement ("the Lopez
                # statement", "a district statement"), else the person quoted just before, or
                # the person the article is about
                group = self._document_author(ref.token)
                if group < 0:
                    group = next((g for t, g in reversed(self.speaker_events) if t < ref.token), -1)
                if group < 0:
                    group = self._recent_person(ref.token, None, exclude_sentence=False)
            if group < 0 and found and ref is None:
                # a cue without a visible subject ("Et de conclure :", "avait choisi de … répondre")
                group = self._sentence_subject(span)
                if group < 0:
                    group = self._recent_person(self._tok(span.open_mark), None, exclude_sentence=False)
            if group >= 0 and self.index.groups[group].label == "PER":
                self.speaker_events.append((self._tok(span.start), group))
                self.speaker_events.sort()
            groups_of.append(group)
            cue_found.append(found)
            refs.append(ref)
            results.append(Attribution(span, None, cue))
        before_fill = list(groups_of)
        self._fill_from_neighbours(groups_of, cue_found)
        for qi, att in enumerate(results):
            g = groups_of[qi]
            att.speaker = self.index.groups[g].canonical if g >= 0 else None
            att.keep = self._keep(att, cue_found[qi]) and not self._scare_quote(qi, att)
        weights = active_weights(self.lang) if self.use_ranker else None
        # the candidates' facts: for the ranker, or for its training (use_ranker=False)
        self.features = None
        if weights is not None or not self.use_ranker:
            filled = [b < 0 <= a for b, a in zip(before_fill, groups_of, strict=True)]
            self.features = CandidateFeatures(self, refs, cue_found, filled, groups_of)
        if weights is not None and self.features is not None:
            # the learned ranker has a say on who speaks (ranking.decide: not over a name read
            # off the cue); whether a span is reported at all stays the rules' decision above
            for qi, att in enumerate(results):
                g = choose(self.features, weights, qi)
                att.speaker = self.index.groups[g].canonical if g >= 0 else None
        return results

    def _find_cue(self, span: QuoteSpan) -> tuple[_Ref | None, str | None, bool]:
        doc = self.doc
        n = len(doc)
        # 0. a headline ending with the speaker's name: "Secretariat became hub of 'dalals'
        # during Cong rule: Shivraj Singh Chouhan"
        if span.heading:
            line_end = self.text.find("\n", span.end)
            line_end = len(self.text) if line_end < 0 else line_end
            tail = self.text[span.outer_end:line_end]
            colon = tail.rfind(":")
            if colon >= 0:
                k = self._tok(span.outer_end + colon + 1)
                if k < len(self.doc) and self._speaker_group(self.group_at[k]) \
                        and self._tok_end(line_end) - k <= 5:
                    return _Ref("ent", k, group=self.group_at[k]), ":", True
        # 1. incise inside the quotation
        if span.cue_start is not None and span.cue_end is not None:
            a, b = self._tok(span.cue_start), self._tok_end(span.cue_end)
            for i in range(a, b):
                if self.speech[i]:
                    ref, cue = self._cue_from_verb(i, post_quote=True)
                    return ref, cue, True
        open_tok = self._tok(span.open_mark)
        close_tok = self._tok_end(span.outer_end)
        sent_open = self.sent[min(open_tok, n - 1)] if n else 0
        # 2. right after the quotation
        right = []
        i = close_tok
        while i < n and self.sent[i] == self.sent[max(close_tok - 1, 0)] and len(right) < 40:
            if not self.in_quote[i]:
                right.append(i)
            elif right:
                break  # the next quotation starts: its own cues are its own
            i += 1
        words = [k for k in right if not doc[k].is_punct]
        selon = self._selon(right[0], min(right[0] + 3, right[-1] + 1)) if right else None  # this sentence only
        if selon and selon[0]:
            return selon[0], self._source_cue_text(selon[1]), True
        for pos, k in enumerate(words[:12]):
            if doc[k].pos_ in ("CCONJ", "SCONJ") or (doc[k].pos_ == "ADP" and pos == 0) \
                    or (pos == 0 and doc[k].lower_ in ("qui", "which")):
                break  # "… and asked", "… that said", "…", qui se poursuivra: another clause's verb
            if not self.speech[k]:
                continue
            adjacent = pos <= 3
            starts_with_subject = bool(words) and (self.group_at[words[0]] >= 0
                                                   or doc[words[0]].lower_ in self.lex.PRONOUNS
                                                   or doc[words[0]].pos_ in ("DET", "PROPN"))
            if adjacent or starts_with_subject:
                source = self._participle_source(k, open_tok)
                if source is not None:
                    return source, doc[k].text, True
                ref, cue = self._cue_from_verb(k, post_quote=True)
                if ref is not None or adjacent:
                    return ref, cue, True
            break
        # … "tout un travail sur l'ADN" du suspect, selon le ministre de l'Intérieur Manuel Valls.
        far = self._selon(right[0], right[-1] + 1) if right else None
        if far and far[0] and far[0].kind in ("ent", "role") and not any(self.speech[k] for k in right if k < far[1]):
            return far[0], self._source_cue_text(far[1]), True
        # 3. before it, in the same sentence
        left = []
        i = open_tok - 1
        while i >= 0 and self.sent[i] == sent_open:
            if not self.in_quote[i]:
                left.append(i)
            i -= 1
        # "André Duvillard : « … »", "Mrs Beckett said: "…""
        if left and doc[left[0]].text.endswith(":"):
            # "Pierre Mignoni (directeur du rugby de Toulon): « … »": the person who opens the
            # verbless clause before the colon ("):" is one token)
            named = -1
            for k in left[1:14]:
                if doc[k].pos_ in ("VERB", "AUX"):
                    if named >= 0 and self._acted_on(named):
                        named = -1  # "Puis de fustiger Emmanuel Macron :" is not Macron speaking
                    break
                if self._person(self.group_at[k]) and not self._after_preposition(k):
                    named = k
            if named >= 0:
                return _Ref("ent", named, group=self.group_at[named]), ":", True
            # "l'institutrice Mathilde Ndiaye est, elle, en pleine leçon : « … »": with no speech
            # verb, the person the clause before the colon is about says it: its subject, or
            # the only person it names
            if not any(self.speech[k] for k in left):
                # (not the person the clause acts on: "Puis de fustiger Emmanuel Macron : « … »")
                people = [k for k in left if self._person(self.group_at[k]) and not self._after_preposition(k)
                          and not self._acted_on(k)]
                subject = next((k for k in people if doc[k].dep_.startswith("nsubj")), None)
                if subject is None and len({self.group_at[k] for k in people}) == 1:
                    subject = people[0]
                if subject is not None:
                    return _Ref("ent", subject, group=self.group_at[subject]), ":", True
        selon = self._selon(left[-1], left[0] + 1) if left else None
        # "L'homme interpellé est « à ce stade » …": a participle used as an adjective is no cue
        verbs = [k for k in left if self.speech[k] and not (
            doc[k].dep_ in ("acl", "amod") and "Past" in doc[k].morph.get("Tense")
            and not any(c.dep_.startswith("aux") for c in doc[k].children))]
        head = self._span_head(span)
        if head is not None and len(verbs) > 1:
            # "X described the funding Mr Hinds announced as “a drop in the ocean”": the verb
            # the quotation hangs from speaks, not the nearest one
            ancestors = {a.i for a in head.ancestors}
            verbs = [k for k in verbs if k in ancestors] + [k for k in verbs if k not in ancestors]
        if selon and selon[0] and (not verbs or selon[1] > verbs[0]):
            return selon[0], self._source_cue_text(selon[1]), True
        for k in verbs:
            if doc[k].text.lower().endswith("ant") and self.lex is lexicon_fr and len(verbs) > 1:
                continue  # "qualifiant …": the participle's subject is the main clause's
            source = self._participle_source(k, open_tok)
            if source is not None:
                return source, doc[k].text, True
            ref, cue = self._cue_from_verb(k, post_quote=False)
            infinitive = doc[k].pos_ == "VERB" and doc[k].morph.get("VerbForm") == ["Inf"]
            if (ref is not None and ref.kind != "none") or not infinitive:
                return ref, cue, True
            # an infinitive without a subject ("pour y répondre") is a weak cue: look further left
        if verbs:
            ref, cue = self._cue_from_verb(verbs[0], post_quote=False)
            return ref, cue, True
        # a noun of speech owned by someone: "Jack Straw's insistence that …", "les propos de X"
        for k in left:
            if doc[k].lower_ in self.lex.SPEECH_NOUNS:
                for j in (k - 1, k - 2, k + 2, k + 3):
                    if 0 <= j < n and self.group_at[j] >= 0 and self.index.groups[self.group_at[j]].label == "PER":
                        return _Ref("ent", j, group=self.group_at[j]), doc[k].text, True
        # 4. later in the sentence, past other quotations
        i = close_tok
        while i < n and self.sent[i] == self.sent[max(close_tok - 1, 0)]:
            if not self.in_quote[i] and self.speech[i]:
                ref, cue = self._cue_from_verb(i, post_quote=True)
                return ref, cue, True
            i += 1
        # 5. a paragraph ending with a colon introduces the quotation below it: "Il ajoute :",
        # "Statement from Representative Kathleen Rice:"
        ref, cue, found = self._colon_intro(span)
        if found and (ref is None or ref.kind in ("none", "rel")):
            # "Who said what at Wimbledon on Tuesday:" names nobody; a signature line may
            signed = self._dash_signature(span)
            if signed[2]:
                return signed
        if found:
            return ref, cue, found
        # 6. a short label without a verb names who speaks: "Le plus heureux : Stéphane Moulin
        # (entraîneur d'Angers)" on the line above the quotation, or glued before it
        ref, cue, found = self._label_intro(span)
        if found:
            return ref, cue, found
        # 7. a signature line under the quotation: "-- Elina Svitolina after speaking to …"
        return self._dash_signature(span)

    def _dash_signature(self, span: QuoteSpan) -> tuple[_Ref | None, str | None, bool]:
        """The speaker named on a line starting with a dash right under the quotation."""
        line_end = self.text.find("\n", span.outer_end)
        if line_end < 0 or _WORD.search(self.text[span.outer_end:line_end]):
            return None, None, False
        after = self.text[line_end:].lstrip()
        dash = _SIGNATURE_DASH.match(after)
        if dash is None or "(@" in after.split("\n", 1)[0]:
            return None, None, False  # ("— BFMTV (@BFMTV) June 3, 2021": who posted, not who spoke)
        k = self._tok(len(self.text) - len(after) + dash.end())
        if k < len(self.doc) and self._speaker_group(self.group_at[k]):
            return _Ref("ent", k, group=self.group_at[k]), None, True
        return None, None, False

    def _colon_intro(self, span: QuoteSpan) -> tuple[_Ref | None, str | None, bool]:
        if not self._leads_paragraph(span):
            return None, None, False
        before = self.text[:self.text.rfind("\n", 0, span.open_mark) + 1].rstrip()
        intro_line_start = before.rfind("\n") + 1
        intro_start = self._tok(intro_line_start)
        if not before.endswith(":"):
            # an interview laid out as "Francis Gillot" on its own line, then the answer; a
            # role in brackets may follow the name: "Bruno Genesio (entraîneur de Lyon)"
            words = _WORD.findall(re.sub(r"\([^()]*\)\s*$", "", before[intro_line_start:]))
            if words and len(words) <= 4 and intro_start < len(self.doc) \
                    and self._person(self.group_at[intro_start]):
                return _Ref("ent", intro_start, group=self.group_at[intro_start]), None, True
            return None, None, False
        colon = self._tok(len(before) - 1)
        for k in range(colon - 1, intro_start - 1, -1):
            if self.speech[k] and not self.in_quote[k]:
                ref, cue = self._cue_from_verb(k, post_quote=False)
                return ref, cue, True
        # "Arnaud Démare (FRA - Groupama-FDJ), 3e :": the person of the line before its team,
        # not one named in brackets ("Garbine Muguruza (victorieuse de Yanina Wickmayer) :")
        line = self.text[intro_line_start:len(before)]
        for wanted in (self._person, self._speaker_group):
            for k in range(colon - 1, intro_start - 1, -1):
                at = self.doc[k].idx - intro_line_start
                bracketed = line.count("(", 0, at) > line.count(")", 0, at)
                if wanted(self.group_at[k]) and not self.in_quote[k] and not bracketed:
                    return _Ref("ent", k, group=self.group_at[k]), ":", True
        return None, None, False

    def _label_intro(self, span: QuoteSpan) -> tuple[_Ref | None, str | None, bool]:
        """The person of a short verbless label on the line above the quotation, or glued
        before it and ending with a bracket, a colon or a dash."""
        line_start = self.text.rfind("\n", 0, span.open_mark) + 1
        prev_end = max((s.outer_end for s in self.spans if s.outer_end <= span.open_mark), default=0)
        start, end = max(line_start, prev_end), span.open_mark
        if not _WORD.search(self.text[start:end]):
            # the quotation leads its paragraph: the label is the whole line above it
            before = self.text[:line_start].rstrip()
            start, end = max(before.rfind("\n") + 1, prev_end), len(before)
        elif not self.text[start:end].rstrip().endswith((")", ":", "–", "—", "-")):
            return None, None, False  # "Pour le président, Emmanuel Macron « perd son temps »"
        label = re.sub(r"\([^()]*\)\s*[:–—-]?\s*$", "", self.text[start:end])
        words = _WORD.findall(label)
        if not words or len(words) > 8 or _CREDIT.search(label):
            return None, None, False
        a, b = self._tok(start), self._tok_end(end)
        if any(self.doc[k].pos_ in ("VERB", "AUX") for k in range(a, min(b, len(self.doc)))):
            return None, None, False
        people = [k for k in range(a, min(b, len(self.doc)))
                  if self._person(self.group_at[k]) and not self.in_quote[k] and not self._after_preposition(k)]
        if not people:
            return None, None, False
        k = people[-1]  # the name closest to the quotation: "Clinton County Chairman Mark Henry"
        return _Ref("ent", k, group=self.group_at[k]), None, True

    def _fill_from_neighbours(self, groups_of: list[int], cue_found: list[bool]) -> None:
        spans = self.spans
        n = len(self.doc)
        sent_of = [self.sent[min(self._tok(s.start), n - 1)] if n else 0 for s in spans]
        for qi, span in enumerate(spans):
            if groups_of[qi] >= 0 or cue_found[qi]:
                continue
            # another quotation of the same sentence with a known speaker
            same = [j for j in range(len(spans)) if j != qi and sent_of[j] == sent_of[qi] and groups_of[j] >= 0]
            if same:
                groups_of[qi] = groups_of[min(same, key=lambda j: abs(j - qi))]
                continue
            if span.heading:
                groups_of[qi] = self._heading_speaker(qi, groups_of)
                if groups_of[qi] < 0 and self._leads_paragraph(span):
                    groups_of[qi] = self._next_person(span)
                continue
            para_quote = self._fills_paragraph(span)
            if span.continued or para_quote or self._is_full_sentence(span):
                prev = next((groups_of[j] for j in range(qi - 1, -1, -1) if groups_of[j] >= 0), -1)
                recent = self._recent_person(self._tok(span.open_mark), None, exclude_sentence=False)
                introduced = self._introduced_just_before(qi) if para_quote and not span.continued else -1
                if introduced < 0 and not span.continued and not para_quote:
                    introduced = self._introduced_just_after(qi)
                if introduced >= 0:
                    groups_of[qi] = introduced
                elif span.continued or para_quote or (prev >= 0 and self._follows_closely(qi)):
                    # «…», a ajouté l'avocate. «…»: the second quotation goes on with the first
                    groups_of[qi] = prev if prev >= 0 else recent
                else:
                    groups_of[qi] = recent
                if groups_of[qi] < 0 and self._leads_paragraph(span):
                    # a quotation opening the article, the speaker introduced just after:
                    # "« Les habitants sont encore choqués ». Jeudi, Geneviève Aubry, maire …"
                    groups_of[qi] = self._next_person(span)
                continue
            # a short quotation with no cue: the person the sentence is about, or the speaker
            # of the quotation just before it
            groups_of[qi] = self._sentence_subject(span)
            if groups_of[qi] < 0 and qi > 0 and (self._follows_closely(qi) or self._keeps_floor(qi, groups_of)):
                groups_of[qi] = groups_of[qi - 1]
            if groups_of[qi] < 0 and self._leads_paragraph(span) and self._opens_sentence(span):
                groups_of[qi] = self._next_person(span)

    def _heading_speaker(self, qi: int, groups_of: list[int]) -> int:
        words = set(_WORD.findall(fold(self.text[self.spans[qi].start:self.spans[qi].end])))
        best, best_score = -1, 0.0
        for j, other in enumerate(self.spans):
            if j == qi or groups_of[j] < 0 or other.heading:
                continue
            other_words = set(_WORD.findall(fold(self.text[other.start:other.end])))
            if not words or not other_words:
                continue
            score = len(words & other_words) / len(words)
            if score > best_score:
                best, best_score = groups_of[j], score
        if best_score >= 0.7:
            return best
        if len(words) <= 4:
            return -1  # a short quoted heading that repeats nothing said in the body is a title
        return next((groups_of[j] for j in range(qi - 1, -1, -1) if groups_of[j] >= 0), -1)

    def _keeps_floor(self, qi: int, groups_of: list[int]) -> bool:
        """Whether the speaker of the quotation before qi is still the one talking: it is in
        the same or the previous sentence, and nobody else is named in between."""
        prev, span = self.spans[qi - 1], self.spans[qi]
        if groups_of[qi - 1] < 0:
            return False
        a, b = self._tok_end(prev.outer_end), self._tok(span.open_mark)
        if a >= len(self.doc) or b >= len(self.doc) or self.sent[b] - self.sent[a] > 1:
            return False
        return not any(self._speaker_group(self.group_at[k]) and self.group_at[k] != groups_of[qi - 1]
                       and not self.in_quote[k] for k in range(a, b))

    def _follows_closely(self, qi: int) -> bool:
        """Whether quotation qi comes right after the previous one in the same paragraph, with
        at most a short cue between them."""
        if qi == 0:
            return False
        prev, span = self.spans[qi - 1], self.spans[qi]
        if prev.paragraph != span.paragraph:
            return False
        gap = self.text[prev.outer_end:span.open_mark]
        return len(_WORD.findall(gap)) <= 8

    def _leads_paragraph(self, span: QuoteSpan) -> bool:
        line_start = self.text.rfind("\n", 0, span.open_mark) + 1
        before = self.text[line_start:span.open_mark]
        return not _WORD.search(before) or bool(_DATELINE.fullmatch(before))

    def _next_person(self, span: QuoteSpan) -> int:
        """The first person named outside quotations in the two sentences after `span`."""
        i = self._tok_end(span.outer_end)
        n = len(self.doc)
        if i >= n:
            return -1
        last_sent = self.sent[i] + 2
        while i < n and self.sent[i] <= last_sent:
            if not self.in_quote[i] and self._person(self.group_at[i]) and not self._after_preposition(i):
                return self.group_at[i]
            i += 1
        return -1

    def _fills_paragraph(self, span: QuoteSpan) -> bool:
        text = self.text
        line_start = text.rfind("\n", 0, span.open_mark) + 1
        line_end = text.find("\n", span.end)
        line_end = len(text) if line_end < 0 else line_end
        outside = text[line_start:span.open_mark] + text[span.outer_end:line_end]
        return len(_WORD.findall(outside)) == 0

    def _is_full_sentence(self, span: QuoteSpan) -> bool:
        body = self.text[span.start:span.end].rstrip()
        return body[:1].isupper() and (len(body.split()) >= 6 or (len(body.split()) >= 3 and body[-1:] in ".!?…"))

    def _document_noun(self, i: int) -> int:
        """Token of the document noun in the noun phrase starting at i ("the statement", "a
        district statement", "le communiqué"), or -1."""
        doc = self.doc
        if i >= len(doc) or doc[i].lower_ not in _DOCUMENT_DETERMINERS:
            return -1
        for k in range(i + 1, min(i + 4, len(doc))):
            if doc[k].lower_ in _DOCUMENT_NOUNS:
                return k
            if doc[k].is_punct or doc[k].pos_ in ("VERB", "AUX", "ADP"):
                break
        return -1

    def _document_subject(self, i: int) -> bool:
        """Whether the noun phrase at token i is "the statement" / "le communiqué" (anaphoric)."""
        return self._document_noun(i) >= 0

    def _document_author(self, i: int) -> int:
        """Who a statement at token i is from, when the noun phrase says it: a name or an
        organisation's kind before the noun ("the Lopez statement", "a district statement") or
        a complement after it ("a statement from Kathleen Rice", "le communiqué de la CGT")."""
        doc = self.doc
        k = self._document_noun(i)
        for j in range(i + 1, k):
            if self._speaker_group(self.group_at[j]):
                return self.group_at[j]
            if fold(doc[j].text) in self.org_kinds:
                return self.resolve(self._org_by_kind(j, j + 1))
        j = k + 1
        if j < len(doc) and doc[j].lower_ in ("from", "by", "of", "de", "du", "des"):
            j += 1
            while j < len(doc) and j < k + 5 and self.group_at[j] < 0 and not doc[j].is_punct:
                j += 1
            if j < len(doc) and self._speaker_group(self.group_at[j]):
                return self.group_at[j]
        return -1

    def _clause_subject(self, span: QuoteSpan) -> int:
        """The person subject of the verb the quotation belongs to ("X a ironiquement
        « admiré » leurs « pudeurs de gazelle »"), rather than any subject of the sentence."""
        t = self._span_head(span)
        for _ in range(3):
            if t is None:
                return -1
            if t.pos_ in ("VERB", "AUX"):
                subjects = [c for c in t.children if c.dep_.startswith("nsubj") and not self.in_quote[c.i]]
                ref = (self._ref_at(subjects[0].i, after_verb=False) if subjects
                       else self._subject_on_left(t.i))
                g = self.resolve(ref) if ref is not None and ref.kind in ("ent", "pron", "role") else -1
                return g if self._speaker_group(g) else -1
            if t.head is t:
                return -1
            t = t.head
        return -1

    def _sentence_subject(self, span: QuoteSpan) -> int:
        doc = self.doc
        tok = self._tok(span.open_mark)
        if tok >= len(doc):
            return -1
        g = self._clause_subject(span)
        if g >= 0:
            return g
        sid = self.sent[tok]
        i0 = tok
        while i0 > 0 and self.sent[i0 - 1] == sid:
            i0 -= 1
        g = self._person_subject_of_sentence(i0)
        if g >= 0:
            return g
        # "Maxence, 18 ans, n'a aucun doute, « … »": the person who opens the sentence
        first = next((k for k in range(i0, tok) if not doc[k].is_punct and not doc[k].is_space), None)
        if first is not None and self._person(self.group_at[first]) and not self.in_quote[first]:
            return self.group_at[first]
        # "A ses côtés, Benoît, 35 ans, « en a marre … »": a person presented just before the
        # quotation, with no verb in between, says it
        if tok > 0 and doc[tok - 1].text in (",", ":"):
            k = tok - 2
            while k >= 0 and self.sent[k] == sid and tok - k <= 10 and doc[k].pos_ not in ("VERB", "AUX"):
                if self._person(self.group_at[k]) and not self.in_quote[k]:
                    return self.group_at[k]
                k -= 1
        return -1

    def _person_subject_of_sentence(self, first_tok: int, main_clause: bool = False) -> int:
        """The person who is the subject of a verb (outside quotations) in the sentence that
        starts at token first_tok (with main_clause: of its main verb, and not "on"), or -1."""
        doc = self.doc
        sid = self.sent[first_tok]
        i = first_tok
        while i < len(doc) and self.sent[i] == sid:
            t = doc[i]
            if main_clause and (t.lower_ == "on" or t.head.dep_.split(":")[0] in _SUBORDINATE_DEPS):
                i += 1
                continue
            if not self.in_quote[i] and "subj" in t.dep_:
                start = t.left_edge.i if t.pos_ in ("NOUN", "PROPN") else t.i
                ref = self._ref_at(start, after_verb=False)
                if ref and ref.kind == "none" and self.group_at[t.i] >= 0:
                    ref = _Ref("ent", t.i, group=self.group_at[t.i])
                if ref and ref.kind in ("ent", "pron", "role"):
                    g = self.resolve(ref)
                    if g >= 0 and self.index.groups[g].label == "PER":
                        return g
            i += 1
        return -1

    def _introduced_just_before(self, qi: int) -> int:
        """The person who is the subject of the sentence just before quotation qi, when that
        sentence holds no quotation and comes after the previous quotation: "Le défenseur P.K.
        Subban a dit souhaiter que … ¶ « Je ne sais rien. »" is Subban, not the speaker before."""
        open_tok = self._tok(self.spans[qi].open_mark)
        if open_tok <= 0 or open_tok >= len(self.doc):
            return -1
        last = open_tok - 1
        while last > 0 and (self.doc[last].is_space or (self.doc[last].is_punct and self.doc[last].text not in ".!?:")):
            last -= 1
        sid = self.sent[last]
        first = last
        while first > 0 and self.sent[first - 1] == sid:
            first -= 1
        if any(self.in_quote[k] for k in range(first, last + 1)):
            return -1
        if qi > 0 and self._tok_end(self.spans[qi - 1].outer_end) > first:
            return -1
        return self._person_subject_of_sentence(first, main_clause=True)

    def _introduced_just_after(self, qi: int) -> int:
        """For a quotation that opens its paragraph as a sentence of its own, the person named
        as the main subject of the next sentence: "« C'est la première fois » et « c'est l'un
        des plus beaux jours de ma vie ». Ému, Vincent Lindon a dédié son prix …"."""
        span = self.spans[qi]
        if not self._leads_paragraph(span):
            return -1
        end = span.outer_end
        for other in self.spans[qi + 1:]:  # quotations joined to it: « A » et « B ».
            joint = _WORD.findall(self.text[end:other.open_mark])
            if other.paragraph != span.paragraph or joint not in ([], ["et"], ["and"]):
                break
            end = other.outer_end
        after = self.text[end:]
        body = self.text[span.start:span.end].rstrip()
        if not (after.lstrip()[:1] in (".", "!", "?") or body[-1:] in (".", "!", "?", "…")):
            return -1  # the sentence goes on after the quotation
        para_end = self.text.find("\n", end)
        para_end = len(self.text) if para_end < 0 else para_end
        for k in range(self._tok_end(end), self._tok(para_end)):
            t = self.doc[k]
            if self.in_quote[k] or "subj" not in t.dep_ or t.dep_.startswith("expl") \
                    or t.head.dep_.split(":")[0] in _SUBORDINATE_DEPS:
                continue
            g = self.group_at[t.i]
            return g if self._person(g) else -1  # the first subject only
        return -1

    def _keep(self, att: Attribution, cue_found: bool) -> bool:
        """Drop titles of works and speakerless scare quotes; keep every other quotation."""
        span = att.span
        body = self.text[span.start:span.end]
        words = _WORD.findall(body)
        if self._looks_like_title(span, words) or self._legal_charge(span, words):
            return False
        if att.speaker is None and (len(words) <= 2 or (len(words) <= 4 and not cue_found)):
            return False
        return True

    # -- scare quotes -------------------------------------------------------------------------
    def _span_head(self, span: QuoteSpan) -> Token | None:
        """The token of a quotation whose syntactic head lies outside it."""
        a, b = self._tok(span.start), self._tok_end(span.end)
        for i in range(a, b):
            t = self.doc[i]
            if not t.is_punct and not (a <= t.head.i < b and t.head is not t):
                return t
        return None

    def _governed_by_speech(self, head: Token) -> bool:
        """Whether a speech verb outside the quotation governs it: one of its ancestors
        ("a salué une victoire « méritée »", "said ministers were using it to “further …”"), or
        a speech clause right after it (see _cue_follows). An object-
        controlled infinitive breaks the chain: in "asked the candidates to discuss “change”",
        the quoted word is the candidates' topic, not the asker's words."""
        t = head
        for _ in range(8):
            parent = t.head
            if parent is t:
                return False
            if fold(parent.text) in self.speech_nouns and not self.in_quote[parent.i]:
                return True  # "Jack Straw's insistence that such action was “inconceivable”"
            if self.speech[parent.i] and not self.in_quote[parent.i]:
                return not (t.dep_ == "xcomp" and t.pos_ == "VERB"
                            and any(c.dep_ in ("obj", "dobj", "iobj") and c.i != t.i for c in parent.children))
            t = parent
        return False

    def _cue_follows(self, span: QuoteSpan) -> bool:
        """A speech verb within five words after the quotation ("« sans condition », a-t-il
        jugé", "un « crève-cœur » comme il l'a déclaré")."""
        doc = self.doc
        i, seen = self._tok_end(span.outer_end), 0
        sid = self.sent[min(max(i - 1, 0), len(doc) - 1)] if len(doc) else 0
        if self.text[span.start:span.end].rstrip()[-1:] in _SENTENCE_FINAL and i < len(doc) \
                and doc[i].pos_ == "DET" and doc[i].text[:1].isupper():
            return False  # “experience.” The moderator asked …: a new sentence starts
        while i < len(doc) and seen < 5 and self.sent[i] == sid:
            if self.speech[i] and not self.in_quote[i]:
                return True
            if not doc[i].is_punct and not self.in_quote[i]:
                seen += 1
            i += 1
        return False

    def _clause_has_person_subject(self, head: Token) -> bool:
        """Whether the nearest verb above a quotation has a person (or pronoun, or role) as its
        subject, climbing through subject-less infinitives unless their controller is an object."""
        t = head
        for _ in range(8):
            if t.pos_ in ("VERB", "AUX", "ADJ") or any(c.dep_.startswith("nsubj") for c in t.children):
                subjects = [c for c in t.children if c.dep_.startswith("nsubj") and not self.in_quote[c.i]]
                if subjects:
                    s = subjects[0]
                    if self._person(self.group_at[s.i]) or s.lower_ in self.lex.PRONOUNS:
                        return True
                    ref = self._ref_at(s.left_edge.i, after_verb=False) if s.pos_ in ("NOUN", "PROPN") else None
                    return bool(ref and ref.kind in ("ent", "role") and (ref.kind == "role" or self._person(ref.group)))
                infinitive = t.morph.get("VerbForm") == ["Inf"] or (t.i > 0 and self.doc[t.i - 1].lower_ == "to")
                if not infinitive or t.head is t or any(c.dep_ in ("obj", "dobj", "iobj") and c.i != t.i
                                                        for c in t.head.children):
                    return False
            if t.head is t:
                return False
            t = t.head
        return False

    def _scare_quote(self, qi: int, att: Attribution) -> bool:
        """A 1–3 word quotation inside a sentence that no speech cue governs is a scare quote or
        a term ("gilets jaunes", “change”), not speech — unless a "selon X" source covers the
        sentence or the quoted words are something the clause's person subject does or is
        ("Poutine a profité de son déplacement pour « remercier »"). A quoted nickname that is
        itself the subject of the verb ("« VGE » rétorque") is never a quotation."""
        span = att.span
        words = _WORD.findall(self.text[span.start:span.end])
        if len(words) > 3 or span.continued or self._fills_paragraph(span) or span.cue_start is not None:
            return False
        head = self._span_head(span)
        if head is None:
            return False
        if head.dep_.startswith("nsubj") and self.speech[head.head.i]:
            return True
        after = self._tok_end(span.outer_end)
        if self.lang != "en" and after + 1 < len(self.doc) and self.speech[after] \
                and "Part" not in self.doc[after].morph.get("VerbForm") \
                and not self.doc[after + 1].text.startswith("-") and self._ref_at(after + 1, True) is None:
            return True  # French puts a comma before a post-posed cue: "« VGE » rétorque" is a subject
        if span.heading or self.source_cue[qi]:
            return False
        if self._governed_by_speech(head) or self._cue_follows(span):
            return False
        return not self._clause_has_person_subject(head)

    def _legal_charge(self, span: QuoteSpan, words: list[str]) -> bool:
        """A short quoted legal charge: "mis en examen pour « homicide volontaire »", "arrested for
        “reckless endangerment”" — the wording of the charge, not anyone's speech."""
        if len(words) > 10 or span.cue_start is not None or span.continued:
            return False
        body = self.text[span.start:span.end].rstrip()
        if body.endswith((".", "!", "?", "…")):
            return False
        before = self.text[max(0, span.open_mark - 80):span.open_mark].split()
        if not before or before[-1].lower() not in self.lex.CHARGE_PREPOSITIONS:
            return False
        window = {w.strip(",;:()").lower() for w in before[-9:-1]}
        return bool(window & self.lex.LEGAL_WORDS)

    def _looks_like_title(self, span: QuoteSpan, words: list[str]) -> bool:
        text = self.text
        before = text[max(0, span.open_mark - 30):span.open_mark].split()
        if before and fold(before[-1].strip("'’,:")) in self.lex.WORK_NOUNS:
            return True
        if before and before[-1].strip("'’,:").lower() in self.lex.TITLE_INTRODUCERS \
                and not (len(before) > 1 and before[-2].lower() in self.lex.TITLE_INTRODUCER_BLOCKERS):
            return True  # "le logo « … »", "une opération baptisée « … »", "a group called “…”"
        long_words = [w for w in words if len(w) > 3]
        body = text[span.start:span.end].rstrip()
        return (len(words) >= 2 and len(words) <= 8 and bool(long_words)
                and all(w[:1].isupper() for w in long_words) and not body.endswith((".", "!", "?")))


def attribute_quotes(doc: Doc, spans: list[QuoteSpan], index: EntityIndex, lang: str | None,
                     use_ranker: bool = True) -> list[Attribution]:
    """Speaker and cue of every quotation span of a parsed article, plus whether to report it.

    `use_ranker=False` keeps the rules' speakers (the ranker's training reads them)."""
    if not spans:
        return []
    return _Attributor(doc, spans, index, lang, use_ranker).attribute()


def rules_and_features(doc: Doc, spans: list[QuoteSpan], index: EntityIndex,
                       lang: str | None) -> tuple[list[Attribution], CandidateFeatures | None]:
    """The rules' attributions and the ranker's features for them (for training the ranker)."""
    if not spans:
        return [], None
    attributor = _Attributor(doc, spans, index, lang, use_ranker=False)
    return attributor.attribute(), attributor.features
