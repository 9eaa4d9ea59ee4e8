"""English word lists for quotation attribution (data only; the logic lives in speakers.py)."""

from __future__ import annotations

_VERBS = """
disclose disclosed discloses disclosing reveal revealed reveals revealing allege alleged alleges alleging
say said says saying tell told tells telling add added adds adding state stated states explain
explained explains explaining claim claimed claims insist insisted insists argue argued argues
warn warned warns note noted notes declare declared declares announce announced announces
write wrote writes written tweet tweeted tweets post posted ask asked asks reply replied replies
respond responded responds answer answered answers recall recalled recalls acknowledge
acknowledged acknowledges admit admitted admits conclude concluded concludes continue continued
continues remark remarked remarks observe observed observes describe described describes
call called calls urge urged urges suggest suggested suggests confirm confirmed confirms
deny denied denies promise promised promises predict predicted predicts stress stressed
stresses emphasise emphasised emphasize emphasized emphasizes emphasises assert asserted asserts
maintain maintained maintains contend contended contends recount recounted recounts
shout shouted chant chanted chanting cry cried scream screamed whisper whispered
joke joked quip quipped complain complained complains charge charged charges
testify testified testifies report reported reports reiterate reiterated reiterates
praise praised praises condemn condemned condemns vow vowed vows pledge pledged pledges
agree agreed agrees boast boasted concede conceded concedes caution cautioned cautions
counter countered countering counters snap snapped snaps retort retorted retorts interject interjected
interjects exclaim exclaimed exclaims scoff scoffed
""".split()

SPEECH_FORMS: frozenset[str] = frozenset(_VERBS)
SPEECH_LEMMAS: frozenset[str] = frozenset(
    """say tell add state explain claim insist argue warn note declare announce write tweet post ask
    reply respond answer recall acknowledge admit conclude continue remark observe describe urge
    suggest confirm deny promise predict stress emphasise emphasize assert maintain contend recount
    shout chant cry scream whisper joke quip complain charge testify reiterate praise condemn vow
    pledge agree boast concede caution counter snap retort interject exclaim scoff disclose reveal allege""".split()
)
PHRASE_CUES: tuple[tuple[str, ...], ...] = (
    ("went", "on"), ("goes", "on"), ("pointed", "out"), ("points", "out"), ("shot", "back"), ("shoots", "back"),
    ("fired", "back"), ("fires", "back"), ("hit", "back"), ("hits", "back"), ("chimed", "in"), ("chimes", "in"),
)
AUXILIARIES = frozenset("has have had was is will would also then later".split())
PRONOUNS = {"he": "m", "she": "f", "they": "p", "him": "m", "her": "f", "it": "n"}
INVERTED_PRONOUNS: dict[str, str | None] = {}
SOURCE_PREPOSITIONS = ("according to",)
SKIPPABLE = frozenset(
    """also then later again further earlier today yesterday monday tuesday wednesday thursday friday
    saturday sunday on in at last night morning evening afternoon week january february march april
    may june july august september october november december""".split()
)
HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sen sen. rep rep. gov gov. cpl cpl. "
                       "sgt sgt. lt lt. gen gen. col col. capt capt. det det. insp insp.".split())
WORK_NOUNS = frozenset(
    """book novel film movie series show programme program album song single record title play article
    newspaper magazine documentary operation plan campaign report slogan hashtag nickname podcast
    exhibition festival game episode""".split()
)
DETERMINERS = frozenset("the a an this that his her their its".split())
FEMININE_DETERMINERS: frozenset[str] = frozenset()
MASCULINE_DETERMINERS: frozenset[str] = frozenset()
PERSON_TITLES_FEMININE = frozenset("mrs mrs. ms ms. miss madam lady dame".split())
PERSON_TITLES_MASCULINE = frozenset("mr mr. sir lord".split())
ROLE_NOUNS = frozenset(
    """president principal headteacher headmaster headmistress minister secretary mayor chief spokesman
    spokeswoman spokesperson leader senator
    republican democrat governor ambassador commander director chairman chairwoman chair ceo founder
    lawyer attorney prosecutor judge coach manager premier chancellor king queen pope prince princess
    counterpart predecessor successor commissioner captain colonel general lieutenant sergeant
    superintendent inspector sheriff congressman congresswoman representative lawmaker mp
    candidate nominee professor doctor author detective officer constable journalist reporter
    correspondent editor anchor moderator analyst official organiser organizer coordinator delegate
    solicitor barrister spokesman spokeswoman man woman boy girl teenager
    farmer rancher grower owner teacher nurse physician researcher scientist deputy trooper firefighter
    witness neighbor neighbour mother father son daughter wife husband widow brother sister student
    player striker goalkeeper midfielder defender economist expert worker employee resident envoy
    diplomat cfo coo cto councillor councilor alderman alderwoman victim suspect defendant taoiseach tanaiste
    cm pm pro mla dgp""".split()
)
SPEECH_NOUNS = frozenset("insistence statement statements words remarks claim claims comments comment "
                         "assertion warning message speech".split())
RELATIVE_PRONOUNS = frozenset("who".split())
INDEFINITE = frozenset("a an".split())
# Role nouns that designate the same role as another ("l'édile" is the mayor).
ROLE_SYNONYMS: dict[str, str] = {"spokeswoman": "spokesman", "spokesperson": "spokesman"}
# Common first names whose gender is unambiguous (see lexicon_fr).
FEMININE_FIRST_NAMES = frozenset(
    """mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa
    margaret betty sandra ashley dorothy kimberly emily donna michelle carol amanda melissa
    deborah stephanie rebecca laura sharon cynthia kathleen amy angela anna hillary kamala
    nancy theresa rachel yvette priti liz kemi nicola""".split()
)
MASCULINE_FIRST_NAMES = frozenset(
    """james john robert michael william david richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george edward
    ronald timothy jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin
    scott brandon benjamin samuel frank gregory raymond patrick jack dennis jerry tyler aaron
    boris keir rishi tony gordon joe barack bill mike ted mitch chuck vic bernie""".split()
)
# Words right before a quoted string that make it a name or title, not speech.
TITLE_INTRODUCERS = frozenset("logo slogan hashtag titled entitled dubbed called call named nicknamed".split())
# "what he called “…”": after these words the name-giving verb reports someone's words.
TITLE_INTRODUCER_BLOCKERS = frozenset("he she they i we you it what who".split())
# A quoted legal charge ("arrested for “reckless endangerment”") is not speech.
CHARGE_PREPOSITIONS = frozenset("for of with".split())
LEGAL_WORDS = frozenset(
    """charged charge charges convicted arrested indicted accused sentenced investigation prosecuted
    sued suspicion jailed probe guilty pleaded booked detained""".split()
)
# Nouns that designate an organisation by its kind ("the union said"); see lexicon_fr.
ORG_KIND_NOUNS: dict[str, str] = {
    "union": "union", "federation": "union", "confederation": "union", "ministry": "ministry",
    "department": "ministry", "party": "party", "agency": "agency", "company": "company",
    "council": "council", "commission": "commission", "committee": "committee", "foundation": "foundation",
    "association": "association", "club": "club", "university": "university", "firm": "company",
    "district": "district", "office": "agency", "police": "police", "hospital": "hospital",
    "service": "agency", "organisation": "agency", "organization": "agency", "institute": "agency",
}
ORG_KIND_NAMES: dict[str, frozenset[str]] = {
    "union": frozenset("union unions workers teamsters afl-cio guild unite unison federation confederation "
                       "seiu uaw ufcw tuc cwu association".split()),
    "district": frozenset("district schools school".split()),
    "agency": frozenset("agency office service sheriff's sheriff’s administration bureau".split()),
    "police": frozenset("police constabulary".split()),
    "hospital": frozenset("hospital clinic medical health".split()),
    "ministry": frozenset("ministry department".split()),
    "party": frozenset("party democrats republicans labour conservatives".split()),
    "company": frozenset("company inc inc. corp corp. corporation ltd plc llc group".split()),
}
