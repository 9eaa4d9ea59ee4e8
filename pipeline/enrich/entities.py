"""Named entities of one article: labels normalised across languages, one entity per referent.

Person mentions are clustered by surname so that a later "Poutine" (or "M. Goffin") counts
toward "Vladimir Poutine"; the canonical form is the fullest mention. Photo credits
("Konstantin ZAVRAZHIN / SPUTNIK / AFP") are masked before anything is counted.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from pipeline.enrich import lexicon_en, lexicon_fr
from pipeline.enrich.names import LISTED_FIRST_NAMES, first_name_gender, is_first_name
from pipeline.model import Entity

# spaCy's English scheme (OntoNotes) and French scheme (WikiNER) mapped onto ours; numeric
# and temporal types are not entities for search.
LABELS = {
    "PER": "PER", "PERSON": "PER",
    "ORG": "ORG",
    "LOC": "LOC", "GPE": "LOC", "FAC": "LOC",
    "MISC": "MISC", "NORP": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
    "LANGUAGE": "MISC", "PRODUCT": "MISC",
}
_LEADING_DETERMINERS = frozenset("le la les l' l’ the a an".split())
# never a name on their own, and cut from the front of one
_COURTESY_TITLES = frozenset("monsieur madame mademoiselle".split())
_HONORIFICS = frozenset(
    "m. m mm. mme mmes mlle me mgr pr dr dr. mr mr. mrs mrs. ms ms. miss prof prof. sen sen. rep rep. "
    "gov gov. cpl cpl. sgt sgt. lt lt. gen gen. col col. capt capt. det det. insp insp. president "
    "président présidente minister ministre chief judge juge cllr cllr. councillor cr cr. coun coun. cllrs "
    "speaker justice supt supt. smt shri sri alhaji alhaja ayatollah datuk dato datin taoiseach tánaiste "
    "tanaiste".split()
) | _COURTESY_TITLES
_STYLED = frozenset("sir dame lord lady".split())  # part of a name as written, unlike "M."
_NAME_PARTICLES = frozenset("de du des la le van von der den di da do dos das del bin ben al el ibn y e".split())
# Credit lines: " - Firstname NAME / AGENCY / AFP", "(Sidney Cohen/CBC News)", "[AFP]".
_CREDIT = re.compile(
    r"(?:\s[-–—]\s(?=[^\n]*/)[^\n]{0,80}$)|(?:\([^()\n]{0,60}/[^()\n]{0,60}\))|(?:\[[A-Z][^\]\n]{0,30}\])"
    r"|(?:(?:Photo|Crédit|Credit|Image)s?\s?:[^\n]{0,80}$)",
    re.MULTILINE,
)


def fold(text: str) -> str:
    """Case- and accent-insensitive key."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("’", "'")


@dataclass
class Mention:
    start: int  # character offsets in the text
    end: int
    text: str
    label: str
    group: int = -1  # index into EntityIndex.groups
    speaks: bool = False  # stands as the speaker right after a quotation and its speech verb


@dataclass
class Group:
    label: str
    mentions: list[Mention] = field(default_factory=list)
    canonical: str = ""
    gender: str | None = None  # "m"/"f" when the text told us (a title, a determiner, an agreement)
    name_gender: str | None = None  # "m"/"f" usually carried by the first name: a weaker guess
    roles: set[str] = field(default_factory=set)  # role phrases bound to this person (speakers.py)


@dataclass
class EntityIndex:
    """Entity mentions of one document in text order, grouped by referent."""

    mentions: list[Mention]
    groups: list[Group]

    def entities(self) -> list[Entity]:
        """Public records, most mentioned first, ties in order of first appearance."""
        order = sorted(
            (g for g in self.groups if g.mentions),
            key=lambda g: (-len(g.mentions), g.mentions[0].start),
        )
        return [Entity(text=g.canonical, label=g.label, count=len(g.mentions)) for g in order]

    def mention_at(self, start: int, end: int, labels: tuple[str, ...] = ("PER",)) -> Mention | None:
        """First mention overlapping [start, end) with one of the labels."""
        for m in self.mentions:
            if m.end > start and m.start < end and self.groups[m.group].label in labels:
                return m
            if m.start >= end:
                break
        return None


def credit_regions(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _CREDIT.finditer(text)]


def _clean_span(span: Span, label: str) -> tuple[int, int] | None:
    """Token range of a clean surface form: no determiners, honorifics, edge punctuation or
    line breaks. None when nothing name-like is left."""
    doc = span.doc
    start, end = span.start, span.end
    # an entity running over a line break is two things glued by the model: keep the first line
    for i in range(start, end):
        if "\n" in doc[i].text or (i > start and "\n" in doc[i - 1].whitespace_):
            end = i if i > start else end
            break
    # "Johannesburg - The Department of Education": a dateline glued to the name
    dash = max((i for i in range(start + 1, end - 1) if doc[i].text in ("-", "–", "—")
                and doc[i - 1].whitespace_ and doc[i].whitespace_), default=None)
    if dash is not None:
        start = dash + 1
    while start < end and (doc[start].is_punct or doc[start].is_space
                           or doc[start].lower_ in _LEADING_DETERMINERS):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space) and doc[end - 1].text != ".":
        end -= 1
    if label == "PER":
        # "M. Goffin", "Dr. Smith" — but not the middle initial of "Kimba M. Wood"
        def middle_initial(i: int) -> bool:
            return i > start and doc[i - 1].is_alpha and doc[i - 1].text[:1].isupper() \
                and doc[i - 1].lower_ not in _HONORIFICS and fold(doc[i - 1].text) not in _TITLE_WORDS

        def initial(i: int) -> bool:  # "D. Billy Jones" (but the French "M." is Monsieur)
            return doc.lang_ == "en" and len(doc[i].text) == 2 and doc[i].text[0].isupper() \
                and doc[i].text[1] == "." and doc[i].lower_ not in _HONORIFICS

        last_title = max((i for i in range(start, end - 1)
                          if (doc[i].lower_ in _HONORIFICS or (doc[i].text.endswith(".") and len(doc[i].text) <= 5))
                          and not middle_initial(i) and not initial(i)), default=None)
        if last_title is not None:
            start = last_title + 1
        # "Senate leader Dean Skelos": the name is the capitalised run after the last common word
        lower = [i for i in range(start, end) if doc[i].text[:1].islower() and doc[i].lower_ not in _NAME_PARTICLES]
        if lower:
            start = lower[-1] + 1
        # "Sheriff Frank Williamson", "Councilman Terence Hill", "Retirees Ray": a title or a
        # common noun at the head of the span is not the name
        while start < end - 1 and doc[start].text[:1].isupper() and (
                fold(doc[start].text) in _TITLE_WORDS
                or (doc[start].tag_ in ("NNS", "NN") and first_name_gender(doc[start].text) is None)):
            start += 1
        if start > 0 and doc[start - 1].lower_ in _STYLED:
            start -= 1
        # "François-Xavier Bonneville" tagged from "Xavier": the first name is hyphenated
        if start > 1 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_ \
                and not doc[start - 2].whitespace_ and doc[start - 2].is_title:
            start -= 2
        while end > start and doc[end - 1].text in (".", "'s", "’s"):
            end -= 1
        # "Eluned Morgan MS", "Jane Smith MP": letters after a name are not part of it
        while end - 1 > start and doc[end - 1].text in _POST_NOMINALS:
            end -= 1
        words = [t for t in doc[start:end] if not t.is_punct]
        if not words or any(t.text[:1].islower() and t.lower_ not in _NAME_PARTICLES for t in words):
            return None
        titled = last_title is not None and last_title == start - 1 and words[0].text[:1].isupper()
        if words[0].lower_ in _NAME_PARTICLES and any(t.pos_ == "DET" for t in words) and not titled:
            # "président de la République": what follows the role is its complement (but after
            # "M." a capitalised "Le" starts the surname: "M. Le Maire", "Mme Le Pen")
            return None
    if start >= end or not any(ch.isalpha() for ch in doc[start:end].text):
        return None
    return start, end


def _gender_hint(doc: Doc, start: int, lex_fem: frozenset[str], lex_masc: frozenset[str]) -> str | None:
    if start == 0:
        return None
    prev = doc[start - 1].lower_
    if prev in lex_fem:
        return "f"
    if prev in lex_masc:
        return "m"
    return None


_STREET_WORDS = frozenset(
    "rue avenue av. boulevard bd place quai impasse allée chemin route cours square passage esplanade "
    "street st. road avenue boulevard lane drive".split()
)
_ROLE_WORDS = frozenset(fold(w) for w in lexicon_fr.ROLE_NOUNS | lexicon_en.ROLE_NOUNS)
# Words written before a name as a title ("Undersecretary Michael Scuse"), beyond the role nouns.
_TITLE_WORDS = _ROLE_WORDS | frozenset(
    """undersecretary councilman councilwoman councillor councilor alderman alderwoman assemblyman
    assemblywoman deputy trooper supervisor trustee provost rabbi reverend
    imam bishop cardinal archbishop pastor coroner marshal magistrate
    nurse machinist astronomer scientist researcher teacher farmer student resident worker
    brigadier colonel sergeant constable inspector detective lieutenant captain
    councilmember passenger motorist bystander shopper spectator
    treasurer comptroller auditor registrar ombudsman chairperson vicar chaplain rector
    whip""".split()
) - _STYLED
_FEMININE_TITLES = frozenset("mme mmes mlle madame mrs mrs. ms ms. miss dame lady".split())
_MASCULINE_TITLES = frozenset("m. mr mr. monsieur sir lord".split())


def _agreement_genders(doc: Doc, groups: list[Group]) -> None:
    """Gender of a person from a participle or adjective agreeing with them as subject of
    "être" ("X s'est dite inquiète", "X est venue", "X, très émue, …" is left alone): only the
    written ending counts, with the parser's gender to confirm it."""
    votes: dict[int, set[str]] = {}
    for gi, g in enumerate(groups):
        if g.label != "PER" or g.gender is not None:
            continue
        for m in g.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            subj = next((t for t in span if t.dep_ in ("nsubj", "nsubj:pass")), None)
            if subj is None:
                continue
            head = subj.head
            if head.pos_ not in ("VERB", "ADJ") or not any(
                c.dep_ in ("aux:tense", "aux:pass", "cop") and c.lemma_.lower() == "être" for c in head.children
            ):
                continue
            word = head.lower_
            gender = head.morph.get("Gender")
            if gender == ["Fem"] and word.endswith("e"):
                votes.setdefault(gi, set()).add("f")
            elif gender == ["Masc"] and not word.endswith("e") and head.morph.get("Number") != ["Plur"]:
                votes.setdefault(gi, set()).add("m")
    for gi, found in votes.items():
        if len(found) == 1:
            groups[gi].gender = next(iter(found))


def build_index(doc: Doc) -> EntityIndex:
    """Group the entity mentions of a parsed article by real-world referent."""
    text = doc.text
    credits = credit_regions(text)
    raw: list[Mention] = []
    genders: dict[int, str] = {}
    for ent in doc.ents:
        label = LABELS.get(ent.label_)
        if label is None:
            continue
        if any(s <= ent.start_char < e for s, e in credits):
            continue
        if fold(ent.text) in _NEWS_AGENCIES:
            label = "ORG"  # the tagger takes "Xinhua" for a person now and then
        elif label != "PER" and len(ent) > 1 and (
                ent[0].lower_ in _PERSONAL_TITLES or ent[-1].text in _POST_NOMINALS
                or (len(ent) > 2 and fold(ent[0].text) in _TITLE_WORDS and ent[1].is_title
                    and is_first_name(ent[1].text))):
            label = "PER"  # "Dr Gibbons", "Eluned Morgan MS", "Nurse Vicky Morris" tagged as an organisation
        if label == "PER" and ent.start > 0 and doc[ent.start - 1].lower_ in _STREET_WORDS:
            label = "LOC"  # "la rue Erlanger", "avenue Victor-Hugo": a street named after someone
        if label in ("MISC", "ORG") and ent.start > 0 and not doc[ent.start - 1].ent_type_ \
                and doc[ent.start - 1].is_title and doc[ent.start - 1].lower_ in LISTED_FIRST_NAMES:
            # "David [Le Bars]" tagged MISC after an untagged first name: a person
            ent = doc[ent.start - 1:ent.end]
            label = "PER"
        if label in ("ORG", "MISC", "LOC"):
            # "ministre de l'Intérieur Hortefeux" or "sur franceinfo André Suzède" tagged as one
            # organisation or place: the person at its end is what the sentence talks about
            person = _person_after_role(ent) if label != "LOC" else None
            person = person or _glued_person(ent)
            if person is not None:
                ent, label = person, "PER"
            elif _starts_with_role(ent):
                continue  # "ministre russe des Affaires étrangères" is a role, not an organisation
        cleaned = _clean_span(ent, label)
        if cleaned is None or fold(doc[cleaned[0]:cleaned[1]].text) in _NOT_NAMES:
            continue  # "the PRO added", "Mum said": a role or a relative, not a name
        span = doc[cleaned[0]:cleaned[1]]
        end = span.end_char
        if label == "PER":
            # "Tim O’Kane": the tagger stops at the apostrophe of an Irish or Italian surname
            surname = _APOSTROPHE_SURNAME.match(text, end)
            if surname is None and text[end - 1] in "'’":
                surname = _WORD_REST.match(text, end)  # "Michel Preud'homme", "Samuel Eto’o"
            end = surname.end() if surname else end
        mention = Mention(span.start_char, end, text[span.start_char:end], label)
        if label == "PER":
            # the title right before the cleaned name: "Mrs" in "[Straw - Mrs Beckett]"
            gender = _gender_hint(doc, cleaned[0], _FEMININE_TITLES, _MASCULINE_TITLES)
            if gender:
                genders[len(raw)] = gender
        raw.append(mention)
    _add_speaking_names(doc, raw, credits)
    _add_institutions(doc, raw)
    _add_speaking_institutions(doc, raw)

    _relabel_named_people(raw, text)
    _relabel_speaking_surnames(doc, raw)
    _relabel_first_names(doc, raw)
    _relabel_qualifiers(doc, raw)
    _join_split_names(raw, text)
    _trim_person_titles(raw)

    groups: list[Group] = []
    surname_groups: dict[str, list[int]] = {}  # folded surname -> PER groups, most recent last
    by_key: dict[str, int] = {}  # folded text -> non-person group
    # Full names first so that an early bare surname still finds its person.
    people = [m for m in raw if m.label == "PER"]
    multi = [m for m in people if len(m.text.split()) > 1]
    for m in multi:
        words = m.text.split()
        surname = fold(words[-1])
        first = fold(words[0])
        if first in _NAME_PARTICLES and surname_groups.get(surname):
            m.group = surname_groups[surname][0]  # "de Mistura" after "Staffan de Mistura"
            continue
        target = None
        # "Villeroy de Galhau" is "François Villeroy de Galhau": a name of two or more words
        # that ends another person's name (or that another ends) is that person
        folded = fold(m.text)
        for gi in reversed(surname_groups.get(surname, [])):
            other = fold(groups[gi].canonical)
            if other.endswith(" " + folded) or folded.endswith(" " + other):
                target = gi
                break
        if target is None:
            # "Carine Durrieu" is "Carine Durrieu Diebolt", the tagger having cut her name short
            target = next((gi for gi in range(len(groups) - 1, -1, -1)
                           if fold(groups[gi].canonical).startswith(folded + " ")
                           or folded.startswith(fold(groups[gi].canonical) + " ")), None)
        for gi in reversed(surname_groups.get(surname, []) if target is None else []):
            other_first = fold(groups[gi].canonical.split()[0])
            initial = min(len(other_first), len(first)) <= 2  # "V. Poutine" is Vladimir Poutine
            if other_first == first or (initial and other_first[:1] == first[:1]) or fold(words[0]) in _STYLED:
                target = gi
                break
        if target is None:
            target = len(groups)
            groups.append(Group("PER", canonical=m.text))
            surname_groups.setdefault(surname, []).append(target)
            for w in words[1:-1]:  # "Bruno Le Maire": "Maire" and "Le Maire" both point here
                if fold(w) not in _NAME_PARTICLES:
                    surname_groups.setdefault(fold(w), []).append(target)
        elif len(m.text) > len(groups[target].canonical) and m.text.split()[0].lower() not in _STYLED - {"sir"}:
            groups[target].canonical = m.text
        m.group = target
    token_keys = {}
    for gi, g in enumerate(groups):
        for w in g.canonical.split():
            token_keys.setdefault(fold(w), gi)
    for i, m in enumerate(raw):
        if m.group >= 0:
            if i in genders:
                groups[m.group].gender = genders[i]
            continue
        key = fold(m.text)
        words = m.text.split()
        # a single-word mention of a known person's surname or first name is that person,
        # whatever label the model gave it (models tag "Poutine" as ORG now and then)
        gi = None
        if m.label in ("PER", "ORG", "MISC") and len(words) == 1:
            candidates = surname_groups.get(key)
            # two people share the surname ("Dean Skelos" and his son "Adam Skelos"): the bare
            # surname is the one the article introduced first, its main subject — or the one
            # whose first name fits a title ("Mr Stewart" is Garrath, not Marjorie)
            if candidates and i in genders:
                fitting = [c for c in candidates
                           if first_name_gender(groups[c].canonical.split()[0]) in (genders[i], None)]
                candidates = fitting or candidates
            gi = candidates[0] if candidates else (token_keys.get(key) if m.label == "PER" else None)
        if gi is None and m.label == "PER" and len(words) > 1:
            candidates = surname_groups.get(fold(words[-1]))
            gi = candidates[-1] if candidates else None
        if gi is not None and i in genders:
            known = first_name_gender(groups[gi].canonical.split()[0]) or groups[gi].gender
            if known not in (None, genders[i]):
                gi = None  # "Ms Stewart" after "Mr Stewart": his wife, not him
        if gi is not None:
            m.group = gi
            if i in genders:
                groups[gi].gender = genders[i]
            continue
        gi = by_key.get(key)
        if gi is None:
            gi = len(groups)
            groups.append(Group(m.label, canonical=m.text))
            by_key[key] = gi
        m.group = gi
        if i in genders:
            groups[gi].gender = genders[i]
    for m in raw:
        groups[m.group].mentions.append(m)
    # Each non-person group takes the label most of its mentions got; ties go to places and
    # organisations over a one-word "person" the model invented ("Kremlin" as PER).
    multi_groups = {m.group for m in multi}
    for gi, g in enumerate(groups):
        if gi in multi_groups or not g.mentions:
            continue
        # a name that speaks somewhere in the article is not a place ("précise Météo-France")
        votes = Counter(m.label for m in g.mentions if m.speaks) or Counter(m.label for m in g.mentions)
        best = max(votes.values())
        tied = [lab for lab, n in votes.items() if n == best]
        g.label = next((lab for lab in ("LOC", "ORG", "MISC", "PER") if lab in tied), tied[0])
        surfaces = Counter(m.text for m in g.mentions)
        g.canonical = max(surfaces, key=lambda s: (surfaces[s], s[:1].isupper()))
    _merge_acronyms(groups)
    for g in groups:
        if g.label == "PER" and " " in g.canonical:
            g.name_gender = first_name_gender(g.canonical.split()[0])
    if doc.lang_ == "fr":
        _agreement_genders(doc, groups)
    _complete_names(doc, text, groups, credits)
    _add_missed_surnames(doc, groups, raw, credits)
    mentions = sorted((m for g in groups for m in g.mentions), key=lambda m: m.start)
    return EntityIndex(mentions, groups)


_PERSONAL_TITLES = frozenset("mr mr. mrs mrs. ms ms. dr dr. m. mme me mlle cllr cllr. councillor".split())
_PLACE_PREPOSITION = re.compile(r"\b(?:in|at|to|from|near|à|en|au|aux|dans|vers|of|de|du)\s+$", re.IGNORECASE)
_WORD_REST = re.compile(r"\w+")
_POST_NOMINALS = frozenset("MS AM MP MSP MLA MEP TD QC KC SC OBE MBE CBE".split())
_APOSTROPHE_SURNAME = re.compile(r" (?:O|D|Dell|Dall)['’][A-Z][\w-]+")
# what a family calls its members is not a name: "Mum said", "Papa a raconté"
_KINSHIP_WORDS = frozenset("mum mom mummy mommy dad daddy papa maman papy mamie grandma grandpa granny".split())
# demonstrative pronouns the tagger sometimes takes for a name ("Celui qui affirme …")
_PRONOUNS_TAKEN_FOR_NAMES = frozenset("celui celle ceux celles".split())
# a span that is only one of these is no name
_NOT_NAMES = _TITLE_WORDS | _KINSHIP_WORDS | _PRONOUNS_TAKEN_FOR_NAMES | _COURTESY_TITLES
_NEWS_AGENCIES = frozenset(
    "xinhua afp reuters ap ani pti ians tass ria belga ansa efe dpa kyodo yonhap anadolu".split())
_INSTITUTION_NOUNS = frozenset(fold(w) for w in lexicon_fr.ORG_KIND_NOUNS) | frozenset(
    fold(w) for w in lexicon_en.ORG_KIND_NOUNS)
_OF = frozenset("de du des d' d’ of".split())


def _add_institutions(doc: Doc, raw: list[Mention]) -> None:
    """An institution named by its kind and its place is an organisation: "la préfecture du
    Pas-de-Calais", "le parquet de Lyon" (the model tags only the place). The place's own
    mention is folded into the organisation's."""
    for ent in list(doc.ents):
        if LABELS.get(ent.label_) not in ("LOC", "ORG") or ent.start < 2:
            continue
        j = ent.start - 1
        if doc[ent.start].lower_ in _OF:
            j = ent.start  # the tagger sometimes takes the preposition in: "[de Lille]"
        elif doc[j].lower_ in ("le", "la", "l'", "l’", "les", "the"):
            j -= 1
        if j < 1 or doc[j].lower_ not in _OF:
            continue
        k = j - 1
        while k > 0 and doc[k].pos_ == "ADJ":  # "l'agence régionale de santé"
            k -= 1
        if fold(doc[k].text) not in _INSTITUTION_NOUNS or doc[k].text[:1].isupper() and k > 0 \
                and doc[k - 1].text[:1].isupper() and doc[k - 1].pos_ != "DET":
            continue
        while k >= 2 and doc[k - 1].lower_ in _OF and fold(doc[k - 2].text) in _INSTITUTION_NOUNS:
            k -= 2  # "la préfecture de police de Paris"
        start_char, end_char = doc[k].idx, ent.end_char
        inside = [m for m in raw if m.start >= start_char and m.end <= end_char]
        if any(m.label == "PER" for m in inside) or any(m.start < start_char < m.end for m in raw):
            continue
        for m in inside:
            raw.remove(m)
        at = next((i for i, m in enumerate(raw) if m.start > start_char), len(raw))
        raw.insert(at, Mention(start_char, end_char, doc.text[start_char:end_char], "ORG"))


# Seats of power that speak for their institution ("l'Élysée a assuré", "the White House said").
_SPEAKING_SEATS = frozenset(fold(w) for w in (
    "Élysée", "Elysée", "Matignon", "Kremlin", "Quai d'Orsay", "Maison Blanche", "Maison-Blanche",
    "White House", "Downing Street", "Pentagon", "Pentagone"))
# Venues named after a person that the tagger takes for that person.
_PLACES_NAMED_AFTER_PEOPLE = frozenset(("roland garros", "pierre mauroy", "geoffroy guichard", "jean bouin"))
# Institutions a French article names by kind alone when they speak: "annonce la gendarmerie".
_BARE_INSTITUTIONS = frozenset(
    "gendarmerie préfecture police parquet mairie intersyndicale présidence ministère armée municipalité "
    "opposition".split())
_INSTITUTIONS_NEEDING_A_NAME = frozenset("présidence ministère".split())


def _institution_end(doc: Doc, end: int) -> int:
    """Where an institution named by its kind ends: "la police nationale", "la présidence
    ukrainienne", "la préfecture de police", "le ministère israélien des Affaires étrangères"."""
    n = len(doc)
    # (not an adjective with its own complement: "la gendarmerie présente sur les lieux")
    while end < n and doc[end].pos_ == "ADJ" and not (end + 1 < n and doc[end + 1].pos_ == "ADP"
                                                       and doc[end + 1].lower_ not in ("de", "du", "des", "d'", "d’")):
        end += 1
    if end + 1 < n and doc[end].lower_ == "de" and doc[end + 1].lower_ == "police":
        return end + 2
    k = end + 1
    if end < n and doc[end].lower_ in ("de", "du", "des", "d'", "d’"):
        if k < n and doc[k].lower_ in ("la", "l'", "l’"):
            k += 1
        if k < n and doc[k].text[:1].isupper():
            while k < n and (doc[k].text[:1].isupper() or doc[k].text == "-"):
                k += 1
            while k < n and doc[k].pos_ == "ADJ" and doc[k].text[:1].islower():
                k += 1
            return k
    return end


def _add_speaking_institutions(doc: Doc, raw: list[Mention]) -> None:
    """"L'Élysée a assuré", "annonce la gendarmerie présente sur les lieux", "la préfecture de
    police a indiqué": an institution that speaks is an organisation, even when the tagger saw a
    place or nothing at all."""
    for m in raw:
        if m.label == "LOC" and fold(m.text) in _SPEAKING_SEATS:
            m.label = "ORG"
        elif m.label == "PER" and fold(m.text).replace("-", " ") in _PLACES_NAMED_AFTER_PEOPLE:
            m.label = "LOC"  # "à Roland-Garros" is the tournament, not the aviator
        elif m.label == "LOC" and fold(m.text.split()[0]) in _INSTITUTION_NOUNS - {"ville", "city"}:
            m.label = "ORG"  # "la Municipalité lausannoise" is an authority, not a place
    if doc.lang_ != "fr":
        return
    for t in doc:
        if t.lower_ not in _BARE_INSTITUTIONS or t.i == 0 or doc[t.i - 1].lower_ not in ("la", "le", "l'", "l’"):
            continue
        speaks = (t.dep_.startswith("nsubj") and t.head.lemma_.lower() in lexicon_fr.SPEECH_LEMMAS) or (
            t.i >= 2 and doc[t.i - 2].lower_ in lexicon_fr.SPEECH_FORMS)
        if not speaks:
            continue
        span = doc[t.i:_institution_end(doc, t.i + 1)]
        if len(span) == 1 and t.lower_ in _INSTITUTIONS_NEEDING_A_NAME:
            continue  # "le ministère" alone says too little to be a speaker
        if any(m.start < span.end_char and span.start_char < m.end for m in raw):
            continue
        if any(m.label == "ORG" and fold(m.text).startswith(fold(t.text)) for m in raw):
            continue  # "le parquet" is the "parquet de Lille" named in the article: speakers.py finds it
        # "ajoute l'armée" after "L'armée israélienne a revendiqué": one institution, named in full
        name = span.text if len(span) > 1 else _fuller_institution(doc, t) or span.text
        at = next((i for i, m in enumerate(raw) if m.start > span.start_char), len(raw))
        raw.insert(at, Mention(span.start_char, span.end_char, name, "ORG"))


def _fuller_institution(doc: Doc, noun: Token) -> str | None:
    """The fullest form under which the article names the institution `noun` ("armée") with
    a determiner: "l'armée israélienne" gives "armée israélienne"; the closest before it first."""
    forms = []
    for t in doc:
        if t.i != noun.i and t.lower_ == noun.lower_ and t.i > 0 and doc[t.i - 1].lower_ in ("la", "le", "l'", "l’"):
            span = doc[t.i:_institution_end(doc, t.i + 1)]
            if len(span) > 1 and not any(w.lower_ in lexicon_fr.SPEECH_FORMS for w in span[1:]):
                forms.append((t.i > noun.i, abs(t.i - noun.i), span.text))
    return min(forms)[2] if forms else None


def _join_split_names(raw: list[Mention], text: str) -> None:
    """Two person mentions separated by one space are one name the tagger cut in two
    ("Amy Berman" + "Jackson"); so are a first name and a name after it, whatever their labels."""
    i = 0
    while i + 1 < len(raw):
        a, b = raw[i], raw[i + 1]
        # "Tigist" + "Assefa" tagged as two organisations: a lone first name before a name
        first_name = " " not in a.text and is_first_name(a.text) and b.text[:1].isupper() \
            and (b.label == "PER" or a.label == b.label)
        if (a.label == b.label == "PER" or first_name) and b.start == a.end + 1 and text[a.end] == " " \
                and " " not in b.text \
                and not any(fold(w) in _TITLE_WORDS or w.lower() in _HONORIFICS for w in a.text.split()):
            raw[i] = Mention(a.start, b.end, text[a.start:b.end], "PER")
            del raw[i + 1]
            continue
        i += 1


# Words the tagger glues before a name that are no title: a verb, a school year.
_GLUED_BEFORE_NAMES = frozenset("said says senior junior freshman sophomore".split())


def _trim_person_titles(raw: list[Mention]) -> None:
    """Titles and occupations written before a person's name leave it, whichever step found
    the name: "Nurse Vicky Morris", "Cllr Sue Coakley" ("Sir" stays: it is part of the name
    as written)."""
    for m in raw:
        if m.label != "PER":
            continue
        while True:
            words = m.text.split()
            if len(words) < 2:
                break
            first, second = words[0], words[1]
            title = first.lower() in _HONORIFICS or fold(first) in _TITLE_WORDS
            if not title or not second[:1].isupper():
                break
            cut = m.text.index(second, len(first))
            m.start += cut
            m.text = m.text[cut:]
        # "Said Darren Manning", "Senior Kaden Groom": a verb or a school year the tagger glued
        # before the name (honorifics such as "Smt" left with the titles above)
        words = m.text.split()
        if len(words) >= 3 and words[0].lower() in _GLUED_BEFORE_NAMES:
            cut = m.text.index(words[1], len(words[0]))
            m.start += cut
            m.text = m.text[cut:]
        # "Olympique Christophe Urios", "AFP Me Etelin": the end of a team's or an agency's name
        # glued before the person's; the person starts at the first name (or after "Me")
        words = m.text.split()
        if len(words) >= 3 and len(words[0].rstrip(".")) > 1 and not is_first_name(words[0]) \
                and words[0].lower() not in _STYLED:
            # ("Sir Richard Dalton" keeps Sir; "Kimba M. Wood" has an initial, not "M.")
            start = next((j for j in range(1, len(words)) if words[j - 1].lower() in _HONORIFICS - {"m."}
                          or (j < len(words) - 1 and first_name_gender(words[j]) is not None)), None)
            if start is not None and all(w[:1].isupper() or w in _NAME_PARTICLES for w in words[start:]):
                cut = m.text.index(words[start], len(" ".join(words[:start])))
                m.start += cut
                m.text = m.text[cut:]
        # "Elisabeth Borne Première [ministre]": a role glued after the name leaves it too
        words = m.text.split()
        while len(words) > 2 and fold(words[-1]) in ("premiere", "premier"):  # ("Bruno Le Maire" keeps Maire)
            m.text = m.text[:m.text.rindex(words[-1])].rstrip()
            m.end = m.start + len(m.text)
            words = m.text.split()


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s\-']+", name) if w and w[0].isupper())


def _word_initials(name: str) -> str:
    """"SPVM" for "Service de police de la Ville de Montréal": every word but the small ones."""
    words = [w for w in re.split(r"[\s\-'’]+", name) if w and w.lower() not in _NAME_PARTICLES]
    return "".join(w[0] for w in words).upper()


def _merge_acronyms(groups: list[Group]) -> None:
    """"EA" is the "Environment Agency" named earlier, "ARS" the "agence régionale de santé":
    an all-capitals organisation whose letters are another organisation's initials joins it."""
    orgs = [g for g in groups if g.label == "ORG" and g.mentions]
    for g in orgs:
        name = g.canonical
        if not (2 <= len(name) <= 6 and name.isupper() and name.isalpha()):
            continue
        full = next((o for o in orgs if o is not g and o.mentions and " " in o.canonical
                     and name in (_initials(o.canonical).upper(), _word_initials(o.canonical))), None)
        if full is not None:
            for m in g.mentions:
                m.group = groups.index(full)
            full.mentions = sorted(full.mentions + g.mentions, key=lambda m: m.start)
            g.mentions = []


def _relabel_first_names(doc: Doc, raw: list[Mention]) -> None:
    """A first name (alone or with a surname) the tagger took for a place is a person when the
    text treats it as one: "Heiahi, 22 ans", "Dakota Spicer, 24,", "Un autre habitant,
    Abdellakim, …", "Hassan, qui habite au premier"."""
    starts = {t.idx: t.i for t in doc}
    ends = {t.idx + len(t.text): t.i for t in doc}
    for m in raw:
        i, last = starts.get(m.start), ends.get(m.end)
        if m.label == "PER" or i is None or last is None or not is_first_name(m.text.split()[0]):
            continue
        nxt = [t for t in doc[last + 1:last + 4]]  # "Dakota Spicer, 24,": what follows the whole name
        age = len(nxt) >= 3 and nxt[0].text == "," and nxt[1].like_num \
            and nxt[2].lower_ in ("ans", "an", "years", ",")
        lives = len(nxt) >= 3 and nxt[0].text == "," and nxt[1].lower_ in ("qui", "who") \
            and nxt[2].lemma_.lower() in ("habiter", "vivre", "live", "travailler", "work")
        role = last >= 2 and doc[last - 1].text == "," and fold(doc[last - 2].text) in _TITLE_WORDS
        # "Même Mélanie, guichetière, ne trouve …", "souffle Julie": a lone first name that acts
        # or speaks (the parser's subject) is a person, whatever the tagger guessed
        # (a place needs a first name from our own lists and no article: not "Pau", "la France")
        acts = i == last and doc[i].dep_.startswith("nsubj") and (
            (m.label == "MISC" and first_name_gender(m.text) is not None)
            or (m.label == "LOC" and m.text.casefold() in LISTED_FIRST_NAMES
                and not (i > 0 and doc[i - 1].pos_ == "DET")))
        # a lone first name of known gender tagged MISC is a person ("Pour Aurélie et sa
        # famille, …"): MISC is for events, works and nationalities, which rarely carry one
        # (in French: English MISC is mostly nationalities, and "German" is also a first name)
        lone = doc.lang_ == "fr" and i == last and m.label == "MISC" and first_name_gender(m.text) is not None \
            and not (i > 0 and doc[i - 1].pos_ == "DET")
        if age or lives or role or acts or lone:
            m.label = "PER"


def _relabel_qualifiers(doc: Doc, raw: list[Mention]) -> None:
    """"The Lib Dem councillor added": a "person" between "the" and a role noun qualifies the
    role (a party, a place), it is not the person who holds it."""
    if doc.lang_ != "en":
        return
    starts = {t.idx: t.i for t in doc}
    ends = {t.idx + len(t.text): t.i for t in doc}
    for m in raw:
        i, last = starts.get(m.start), ends.get(m.end)
        if m.label != "PER" or i is None or last is None or i == 0 or last + 1 >= len(doc):
            continue
        after = doc[last + 1]
        if doc[i - 1].lower_ == "the" and after.is_lower and after.lower_ in lexicon_en.ROLE_NOUNS:
            m.label = "ORG"


def _relabel_named_people(raw: list[Mention], text: str) -> None:
    """A mention tagged as an organisation or place that is a name of a person found elsewhere
    is that person: "Staffan de Mistura" as ORG beside "M. de Mistura" as PER, "Dakota Spicer"
    as a place beside "Spicer", "Virat Kohli" as ORG beside "Kohli", and a bare "Gillespie"
    tagged as a place beside "Ed Gillespie" (unless a preposition makes it a place: "in Jordan")."""
    people = {m.text for m in raw if m.label == "PER"}
    surnames = {m.text.split()[-1] for m in raw if m.label == "PER" and len(m.text.split()) > 1}
    for m in raw:
        if m.label == "PER":
            continue
        words = m.text.split()
        if len(words) == 1:
            if words[0] in surnames and not _PLACE_PREPOSITION.search(text, max(0, m.start - 8), m.start):
                m.label = "PER"
        elif (is_first_name(words[0]) or (len(words) <= 3 and all(w[:1].isupper() for w in words)
                                          and words[-1] in people)) \
                and any(m.text.endswith(" " + p) for p in people):
            m.label = "PER"


# Words that make a name an organisation's or a place's, not a person's ("Manchester United").
_NOT_A_PERSON_WORDS = frozenset(fold(w) for w in """united city club party council group police service
office news county state university college school hospital association union league inc ltd plc
company corporation bank ministry department agency government fc court church airport house street yard
watch rights international institute foundation fund trust centre center""".split())


def _relabel_speaking_surnames(doc: Doc, raw: list[Mention]) -> None:
    """"Elzie said" with "Johnetta Elzie" named before, both tagged as organisations: a single
    capitalised word that is the subject of a speech verb, and a two- or three-word name that
    ends with it, are a person."""
    if doc.lang_ != "en":
        return
    starts = {t.idx: t.i for t in doc}
    for m in raw:
        if m.label == "PER" or " " in m.text or m.text.isupper() or m.start not in starts:
            continue
        tok = doc[starts[m.start]]
        if not (tok.dep_.startswith("nsubj") and tok.head.lemma_.lower() in lexicon_en.SPEECH_LEMMAS):
            continue
        fuller = [o for o in raw if o is not m and 2 <= len(o.text.split()) <= 3 and o.text.endswith(" " + m.text)
                  and all(w[:1].isupper() for w in o.text.split())
                  and not any(fold(w) in _NOT_A_PERSON_WORDS for w in o.text.split())]
        if fuller:
            m.label = "PER"
            for o in fuller:
                o.label = "PER"


def _glued_person(ent: Span) -> Span | None:
    """The "First Last" name the parser set in apposition inside a longer entity ("franceinfo
    André Suzède", "Justice Eric Dupond-Moretti"), or None."""
    doc = ent.doc
    for j in range(ent.start + 1, ent.end - 1):
        tok = doc[j]
        if tok.dep_ != "appos" or not tok.is_title or first_name_gender(tok.text) is None:
            continue
        rest = doc[j + 1:ent.end]
        if all(t.text[:1].isupper() or t.text == "-" for t in rest):
            return doc[j:ent.end]
    return None


def _starts_with_role(ent: Span) -> bool:
    first = next((t for t in ent if t.lower_ not in _LEADING_DETERMINERS), None)
    return first is not None and first.text[:1].islower() and fold(first.text) in _TITLE_WORDS


def _person_after_role(ent: Span) -> Span | None:
    """The name ending an entity that starts with a lowercase role noun ("ministre de
    l'Intérieur Hortefeux" → "Hortefeux"); the noun right after a determiner or preposition
    ("l'Intérieur") belongs to the role."""
    doc = ent.doc
    if not _starts_with_role(ent):
        return None
    first = next(t for t in ent if t.lower_ not in _LEADING_DETERMINERS)
    start = ent.end
    for j in range(ent.end - 1, first.i, -1):
        tok, prev = doc[j], doc[j - 1]
        if not tok.text[:1].isupper() or not tok.is_alpha and "-" not in tok.text \
                or prev.pos_ in ("DET", "ADP") or prev.lower_ in _NAME_STOP:
            break
        start = j
    return doc[start:ent.end] if start < ent.end else None


def _name_tokens(tok: Token) -> tuple[int, int] | None:
    """Token range of the capitalised name headed by `tok` ("Ana", "Vito Lopez"), or None."""
    if tok.pos_ != "PROPN" or not tok.text[:1].isupper() or tok.is_upper or len(tok.text) < 2 \
            or any(c.dep_ == "det" and c.lower_ not in ("a", "an", "un", "une") for c in tok.children):
        return None  # "the Kremlin said" is not a person; "a choked-up Dean Skelos said" is
    start = end = tok.i
    for child in tok.children:
        if child.dep_ in ("flat:name", "flat", "compound") and child.pos_ == "PROPN" and child.text[:1].isupper():
            start, end = min(start, child.i), max(end, child.i)
    doc = tok.doc
    # "Inspector K Satish Reddy said": the title before the name is not part of it
    # (a "Mr" or "Mme" stays: the tagger nearly always has those names already)
    while start < tok.i and fold(doc[start].text) in _TITLE_WORDS and doc[start].lower_ not in _HONORIFICS:
        start += 1
    if start < tok.i and doc[start].lower_ in _HONORIFICS and doc[start + 1].text != "-":
        start += 1  # "Dr Osafo-Maafo said": the tagger missed the name, so "Dr" cannot stay
    words = doc[start:end + 1]
    # (a hyphen joins the parts of a name: "Osafo-Maafo")
    if any((not t.text[:1].isupper() and t.text != "-") or fold(t.text) in _TITLE_WORDS or t.lower_ in _HONORIFICS
           for t in words):
        return None
    return start, end + 1


def _apposed_name(tok: Token) -> tuple[int, int] | None:
    """The name an apposition spells, letters after it left out ("Darren Millar AM")."""
    if tok.text in _POST_NOMINALS:
        parts = [c.i for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.text[:1].isupper()]
        if parts and max(parts) == tok.i - 1 and len(parts) == tok.i - min(parts):
            return min(parts), tok.i
        return None
    return _name_tokens(tok)


def _relabel_inverted_speaker(doc: Doc, verb: Token, raw: list[Mention]) -> None:
    """«…», précise Météo-France / se désole Mélanie: right after a quotation and its speech
    verb stands the speaker, never a place, whatever the tagger said."""
    if verb.lemma_.lower() in ("tell", "ask", "urge", "warn", "thank"):
        return  # "…," Russell told Halifax reporters: who comes after "told" is the listener
    after = verb.i + 1
    before = [t for t in doc[max(verb.i - 3, 0):verb.i] if not t.is_space]
    if after >= len(doc) or not any(t.text in "»”\"" for t in before) or verb.text.endswith("ant"):
        return
    mention = next((m for m in raw if m.start == doc[after].idx), None)
    if mention is not None and mention.label == "LOC":
        mention.label = "PER" if first_name_gender(mention.text.split()[0]) else "ORG"
    if mention is not None:
        mention.speaks = True


def _add_speaking_names(doc: Doc, raw: list[Mention], credits: list[tuple[int, int]]) -> None:
    """The named subject of a speech verb is a person even when the model missed it: "Ana said"
    (no entity) or "déclare l'inspecteur Coothen" (tagged MISC). Acronyms are left alone: "the
    NHS said" is an organisation."""
    lex = lexicon_fr if doc.lang_ == "fr" else lexicon_en
    starts = [m.start for m in raw]
    for verb in doc:
        if verb.pos_ == "VERB" and verb.lower_ in lex.SPEECH_FORMS:
            _relabel_inverted_speaker(doc, verb, raw)  # the form is enough: "indique" is lemmatised badly
        if verb.pos_ != "VERB" or (verb.lemma_.lower() not in lex.SPEECH_LEMMAS and verb.lemma_.lower() != "quote"):
            continue
        for subj in verb.children:
            quoted_as = verb.lemma_.lower() == "quote" and subj.dep_ in ("dobj", "obj") \
                and subj.i + 1 < len(doc) and doc[subj.i + 1].lower_ == "as"  # "quoted Poroshenko as saying"
            if subj.dep_ != "nsubj" and not quoted_as:
                continue
            # "Welsh Conservative Shadow Minister for Health, Darren Millar AM, said": the name
            # in apposition to the subject is the person
            name = next((n for n in (_apposed_name(c) for c in subj.children if c.dep_ == "appos") if n), None)
            name = name or _name_tokens(subj)
            if name is None and subj.lower_ in ("qui", "who") and verb.dep_ in ("acl:relcl", "relcl"):
                name = _name_tokens(verb.head)  # "Me Tulasne, qui affirme …"
            if name is None and subj.pos_ == "NOUN":
                # "l'inspecteur Coothen": the name hangs on the role noun
                role = fold(subj.text) in _ROLE_WORDS
                name = next((_name_tokens(c) for c in subj.children if c.i > subj.i and (
                    c.dep_ == "flat:name" or (c.dep_ in ("appos", "compound") and role))), None)
            if name is None:
                continue
            span = doc[name[0]:name[1]]
            if any(s <= span.start_char < e for s, e in credits) or fold(span.text) in _NOT_NAMES:
                continue
            overlapping = [m for m in raw if m.end > span.start_char and m.start < span.end_char]
            if not overlapping:
                at = bisect.bisect_left(starts, span.start_char)
                raw.insert(at, Mention(span.start_char, span.end_char, span.text, "PER"))
                starts.insert(at, span.start_char)
            elif len(overlapping) == 1 and overlapping[0].label == "MISC" and overlapping[0].text == span.text:
                overlapping[0].label = "PER"
            elif len(overlapping) == 1 and overlapping[0].label in ("ORG", "LOC") and _looks_like_a_person(doc, span):
                overlapping[0].label = "PER"  # "Government spokesman Phay Siphan said", tagged ORG
            elif len(overlapping) == 1 and overlapping[0].label != "PER" and _title_before(overlapping[0], span):
                # "Liberal MP Stephane Dion said", tagged MISC as a whole: the name is the person
                m = overlapping[0]
                m.start, m.end, m.text, m.label = span.start_char, span.end_char, span.text, "PER"


def _title_before(mention: Mention, span: Span) -> bool:
    """Whether `mention` is `span` with only a title or a role written before it ("Liberal MP")."""
    if not (mention.end == span.end_char and mention.start < span.start_char) or len(span.text.split()) < 2:
        return False  # (a single word after "General" is "General Motors")
    prefix = mention.text[:span.start_char - mention.start].split()
    return 0 < len(prefix) <= 3 and any(
        w.lower() in _HONORIFICS or fold(w) in _TITLE_WORDS or fold(w) in _ROLE_WORDS for w in prefix)


def _looks_like_a_person(doc: Doc, span: Span) -> bool:
    """A name of two or more capitalised words, none of an organisation's or a place's, that
    starts with a first name, a title, or comes right after a role noun ("spokesman Phay Siphan")."""
    words = span.text.split()
    if len(words) < 2 or span.text.isupper() or not all(w[:1].isupper() for w in words) \
            or any(fold(w) in _NOT_A_PERSON_WORDS for w in words):
        return False
    before = doc[span.start - 1] if span.start > 0 else None
    return is_first_name(words[0]) or fold(words[0]) in _TITLE_WORDS or (
        before is not None and (fold(before.text) in _ROLE_WORDS or fold(before.text) in _TITLE_WORDS))


_NAME_STOP = frozenset(
    "of de du des d' d’ la le les l' l’ the a an and et à au aux in for with by".split()
)


def _heading_lines(text: str) -> list[tuple[int, int]]:
    """Lines without sentence punctuation (titles, sub-headings): title case glues words to names
    there ("Information Minister, Idris Vows")."""
    lines, pos = [], 0
    for line in text.split("\n"):
        body = line.rstrip(" \"'»”’")
        if line.strip() and len(line) < 160 and not body.endswith((".", "!", "?", "…", ":", ";", ",")):
            lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    return lines


def _first_name_like(doc: Doc, i: int) -> bool:
    t = doc[i]
    return (t.is_alpha and t.text[:1].isupper() and not t.is_upper and len(t.text) > 1
            and t.pos_ in ("PROPN", "NOUN", "ADJ", "X") and t.lower_ not in _HONORIFICS
            and t.lower_ not in _STYLED and t.lower_ not in _NAME_STOP and t.lower_ not in _STREET_WORDS
            and t.lower_ not in _GLUED_BEFORE_NAMES
            and t.ent_type_ not in ("ORG", "GPE", "LOC", "NORP", "FAC")
            and fold(t.text) not in _TITLE_WORDS and "\n" not in t.whitespace_)


def _complete_names(doc: Doc, text: str, groups: list[Group], credits: list[tuple[int, int]]) -> None:
    """Give each person the fullest form of their name written anywhere in the article.

    The model often tags only part of a name ("Bostock" in "Stuart Bostock with …", "Idris"
    after "Muhammed" at a sentence start), glues a title-case word to it in a heading ("Idris
    Vows"), or buries it in a role phrase it labels ORG ("Minister of Information Jamal
    Jarrah"). The surname tokens of every person mention are looked up in the raw tokens and
    extended leftwards over up to two capitalised name-like words that are not roles, titles or
    words of another entity; a name form seen only in a heading is not trusted when its last
    word never occurs outside headings.
    """
    if not any(g.label == "PER" and g.mentions for g in groups):
        return
    headings = _heading_lines(text)
    heading_starts = [s for s, _ in headings]

    def in_heading(char: int) -> bool:
        k = bisect.bisect_right(heading_starts, char) - 1
        return k >= 0 and char < headings[k][1]

    by_word: dict[str, list[int]] = {}
    body_words: set[str] = set()
    h = 0  # tokens come in text order: walk the heading lines alongside
    for t in doc:
        if not (t.is_alpha and t.text[:1].isupper()):
            continue
        by_word.setdefault(t.text, []).append(t.i)
        while h < len(headings) and headings[h][1] <= t.idx:
            h += 1
        if not (h < len(headings) and headings[h][0] <= t.idx):
            body_words.add(t.text)
    for g in groups:
        if g.label != "PER" or not g.mentions:
            continue
        forms: list[tuple[str, bool]] = [(m.text, in_heading(m.start)) for m in g.mentions]
        keys = {m.text.split()[-1] for m in g.mentions} | {m.text for m in g.mentions if " " not in m.text}
        for key in keys:
            for i in by_word.get(key, []):
                if any(s <= doc[i].idx < e for s, e in credits):
                    continue
                j = i
                while j > 0 and i - j < 2 and _first_name_like(doc, j - 1):
                    j -= 1
                while j < i and j > 0 and doc[j - 1].lower_ in _NAME_STOP:
                    j += 1  # "Minister of Information Jamal": the word after "of" is the role's
                if i - j == 2 and j > 0 and doc[j - 1].text[:1].isupper() and doc[j - 1].is_alpha:
                    j += 1  # "Home Affairs Stephen Kampyongo": the outer word ends a capitalised title
                if j < i:
                    forms.append((doc[j:i + 1].text, in_heading(doc[j].idx)))
        # a form that is already another person's name is theirs ("Ms Stewart" is not Garrath)
        others = {o.canonical for o in groups if o is not g and o.label == "PER"}
        trusted = [f for f, head in forms if (not head or f.split()[-1] in body_words)
                   and (f not in others or f == g.canonical)]
        if not trusted:
            continue
        current = g.canonical
        current_ok = current in trusted
        best = max(trusted, key=lambda f: (len(f.split()), len(f)))
        if not current_ok or (len(best.split()) > len(current.split())
                              and fold(current.split()[-1]) in {fold(w) for w in best.split()}):
            g.canonical = best


def _add_missed_surnames(doc: Doc, groups: list[Group], raw: list[Mention],
                         credits: list[tuple[int, int]]) -> None:
    """Count capitalised surname tokens of known people that the model did not tag."""
    surnames: dict[str, int] = {}
    for gi, g in enumerate(groups):
        words = g.canonical.split()
        if g.label == "PER" and len(words) > 1 and len(words[-1]) > 2:
            surnames.setdefault(words[-1], gi)
    if not surnames:
        return
    covered = [(m.start, m.end) for m in raw]
    covered.sort()
    ci = 0
    for tok in doc:
        gi = surnames.get(tok.text)
        if gi is None:
            continue
        pos = tok.idx
        while ci < len(covered) and covered[ci][1] <= pos:
            ci += 1
        if ci < len(covered) and covered[ci][0] <= pos < covered[ci][1]:
            continue
        if any(s <= pos < e for s, e in credits):
            continue
        groups[gi].mentions.append(Mention(pos, pos + len(tok.text), tok.text, "PER", gi))
