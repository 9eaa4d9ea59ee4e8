"""French word lists for quotation attribution (data only; the logic lives in speakers.py)."""

from __future__ import annotations

# Regular -er verbs that introduce or attribute reported speech. Their inflected forms are
# generated below; irregular verbs list their forms explicitly.
_ER_VERBS = """
déclarer ajouter expliquer estimer souligner affirmer indiquer préciser raconter lancer assurer
insister juger critiquer constater annoncer plaider asséner dénoncer relever confier avouer
rappeler noter observer marteler regretter déplorer commenter résumer témoigner confirmer
répéter exclamer indigner souffler détailler argumenter fustiger saluer interpeller concéder
enchaîner commencer nuancer soupirer tweeter insurger féliciter lâcher glisser protester réclamer
demander raisonner analyser avancer conseiller signaler twitter poster publier haranguer
accuser qualifier menacer annoncer assurer tonner clamer proclamer répliquer rétorquer
objecter interroger questionner plaisanter ironiser rassurer alerter informer mentionner
évoquer invoquer jurer supplier implorer exhorter appeler prôner tacler
expliciter esquisser sermonner insinuer murmurer crier hurler chanter scander
scander confesser préconiser certifier garantir pointer reprocher
souhaiter s'exclamer contester nier railler
rapporter relater narrer développer compléter abonder tempêter fulminer pester offusquer étonner
inquiéter désoler alarmer agacer emporter énerver justifier tempérer trancher arguer communiquer
riposter condamner remercier moquer cingler grincer rigoler blaguer amuser espérer redouter
penser recommander suggérer corriger rectifier persifler
""".split()

# Irregular or non -er verbs: every form that can appear in "a X", "X-t-il", "X Y".
_IRREGULAR_FORMS = """
dit disent dira disait disaient dirait dites disant
écrit écrivent écrivait écrivant écrite
décrit décrivent décrivait décrivant
reconnaît reconnaissent reconnu reconnaissait reconnaissant reconnut reconnait
admet admettent admis admettait admettant
conclut concluent conclu concluait concluant
poursuit poursuivent poursuivi poursuivait poursuivant
reprend reprennent repris reprenait reprenant
répond répondent répondu répondait répondant
promet promettent promis promettait promettant
prévient préviennent prévenu prévenait prévenant
avertit avertissent averti avertissait avertissant
démentit dément démentent démenti démentait démentant
renchérit renchérissent renchéri renchérissait renchérissant
réagit réagissent réagi réagissait réagissant
soutient soutiennent soutenu soutenait soutenant
maintient maintiennent maintenu maintenait maintenant
convient conviennent convenu
redit redisent
interrompt interrompu
défend défendent défendu défendue défendait défendant
s'écrie écrie écrient écrié
lance lancé
sourit sourient souri
rit rient
réjouit réjouissent réjoui réjouie réjouis réjouissait
souvient souviennent souvenu souvenait
croit croient croyait
prédit prédisent prédisait
prévoit prévoient prévoyait
craint craignent craignait
plaint plaignent plaignait
garantit garantissent garanti
""".split()

# Multi-word cues: matched on lowercase token sequences after the verb group.
PHRASE_CUES: tuple[tuple[str, ...], ...] = (
    ("fait", "valoir"), ("fait", "savoir"), ("fait", "part"), ("faire", "valoir"), ("faire", "savoir"),
    ("fait", "remarquer"), ("fait", "observer"), ("mis", "en", "garde"), ("met", "en", "garde"),
    ("mettant", "en", "avant"), ("mis", "en", "avant"), ("met", "en", "avant"),
)


def _er_forms(infinitive: str) -> set[str]:
    stem = infinitive[:-2]
    forms = {infinitive, stem + "e", stem + "ent", stem + "é", stem + "ée", stem + "és", stem + "ées",
             stem + "ait", stem + "aient", stem + "ant", stem + "èrent"}
    # passé simple and present participle keep the soft c / g before a
    soft = stem[:-1] + "ç" if stem.endswith("c") else stem + "e" if stem.endswith("g") else stem
    forms |= {soft + "a", soft + "ait", soft + "aient", soft + "ant"}
    # e -> è in the stressed forms (asséner -> assène, marteler -> martèle, relever -> relève)
    for accented in ("é", "e"):
        idx = stem.rfind(accented)
        if 0 <= idx < len(stem) - 1 and idx >= len(stem) - 3:
            grave = stem[:idx] + "è" + stem[idx + 1:]
            forms |= {grave + "e", grave + "ent"}
    if stem.endswith("el") or stem.endswith("et"):
        forms |= {stem + stem[-1] + "e", stem + stem[-1] + "ent"}  # rappelle, jette
    return forms


SPEECH_FORMS: frozenset[str] = frozenset(
    form for verb in _ER_VERBS for form in _er_forms(verb)
) | frozenset(_IRREGULAR_FORMS)

SPEECH_LEMMAS: frozenset[str] = frozenset(_ER_VERBS) | frozenset(
    "dire écrire reconnaître admettre conclure poursuivre reprendre répondre promettre prévenir avertir "
    "démentir renchérir réagir soutenir maintenir convenir redire réjouir souvenir croire prédire craindre "
    "plaindre garantir rire".split()
)

# Auxiliaries and inverted-subject clitics that sit between a quote and its verb.
AUXILIARIES = frozenset("a ont avait avaient aurait auraient aura va vient".split())
INVERTED_PRONOUNS = {"-il": "m", "-elle": "f", "-t-il": "m", "-t-elle": "f", "-on": None, "-t-on": None,
                     "-ils": "p", "-elles": "p"}
# Subject pronouns with grammatical gender ("m", "f", "p" for plural, None unknown).
PRONOUNS = {"il": "m", "elle": "f", "lui": "m", "ils": "p", "elles": "p", "on": None}
# "selon X", "pour X" (opinion), "d'après X": the prepositional phrase names the source.
SOURCE_PREPOSITIONS = ("selon", "d'après", "d’après")
# Words allowed between a speech verb and its post-posed subject ("a lancé mercredi le ministre").
SKIPPABLE = frozenset(
    """encore aussi également toutefois alors ensuite enfin pourtant néanmoins cependant donc
    ainsi même déjà d'ailleurs d’ailleurs notamment surtout plutôt simplement sobrement
    lundi mardi mercredi jeudi vendredi samedi dimanche matin soir midi après-midi nuit semaine
    week-end hier aujourd'hui
    aujourd’hui récemment dernier dernière ce cette pour sa part de son côté t janvier février mars
    avril mai juin juillet août septembre octobre novembre décembre""".split()
)
# Honorifics dropped from canonical names (not "Sir": it is part of a styled name).
HONORIFICS = frozenset("m. mm. mme mmes mlle me mgr pr dr".split())
# Nouns that, before a quoted string, make it the title of a work rather than speech.
WORK_NOUNS = frozenset(
    """livre ouvrage roman film série émission album chanson disque titre spectacle pièce article
    journal magazine documentaire opération plan programme projet campagne rapport slogan
    hashtag surnom mouvement collectif association exposition festival jeu podcast""".split()
)
DETERMINERS = frozenset("le la les l' l’ un une des du de d' d’ ce cette ces son sa ses leur leurs".split())
FEMININE_DETERMINERS = frozenset("la une cette sa".split())
MASCULINE_DETERMINERS = frozenset("le un ce cet son du".split())
PERSON_TITLES_FEMININE = frozenset("mme mlle madame".split())
PERSON_TITLES_MASCULINE = frozenset("m. monsieur".split())
# Nouns that designate one person by function; "le président russe" can be resolved to a name.
ROLE_NOUNS = frozenset(
    """président présidente ministre maire mairesse chef cheffe porte-parole
    secrétaire directeur directrice avocat avocate procureur procureure juge député députée
    sénateur sénatrice commandant commandante général ambassadeur ambassadrice patron patronne
    dirigeant dirigeante leader responsable maître chancelier chancelière roi reine pape
    gouverneur gouverneure préfet préfète autorité expert experte spécialiste fondateur
    fondatrice pdg entraîneur entraîneuse sélectionneur joueur joueuse auteur autrice élu élue
    candidat candidate homologue successeur prédécesseur vice-président vice-présidente
    neuchâtelois ministre-président conseiller conseillère syndicaliste militant militante
    opposant opposante chercheur chercheuse professeur professeure médecin docteur
    commissaire capitaine colonel lieutenant lieutenant-colonel sergent maréchal cardinal évêque imam rabbin
    mairesse bourgmestre échevin échevine inspecteur inspectrice représentant représentante
    journaliste bâtonnier bâtonnière substitut policier policière gendarme enquêteur enquêtrice
    délégué déléguée coordinateur coordinatrice présentateur présentatrice animateur animatrice
    correspondant correspondante éditorialiste chroniqueur chroniqueuse témoin magistrat magistrate
    officier brigadier gardien directeur-général administrateur administratrice président-directeur
    manifestant manifestante habitant habitante salarié salariée homme femme garçon adolescent
    adolescente
    exploitant exploitante agriculteur agricultrice éleveur éleveuse viticulteur viticultrice commerçant
    commerçante gérant gérante propriétaire enseignant enseignante infirmier infirmière pompier adjoint
    adjointe attaquant attaquante défenseur diplomate émissaire envoyé envoyée retraité retraitée
    étudiant étudiante lycéen lycéenne mère père fils fille frère sœur épouse mari veuve veuf
    sélectionneuse
    trentenaire quadragénaire quinquagénaire sexagénaire septuagénaire octogénaire nonagénaire
    quadra quinqua victime suspect suspecte prévenu prévenue accusé accusée plaignant plaignante
    détenu détenue""".split()
)
# "les propos de X", "les déclarations de X": a noun of speech whose owner is the source.
SPEECH_NOUNS = frozenset("propos déclaration déclarations paroles mots insistance affirmation affirmations "
                         "accusation accusations message discours".split())
RELATIVE_PRONOUNS = frozenset("qui".split())
INDEFINITE = frozenset("un une".split())
# Role nouns that designate the same role as another ("l'édile" is the mayor).
ROLE_SYNONYMS: dict[str, str] = {"édile": "maire", "bourgmestre": "maire"}
# Common first names whose gender is unambiguous: lets "elle" skip a "Emmanuel Macron".
FEMININE_FIRST_NAMES = frozenset(
    """anne marie sophie catherine isabelle nathalie christine sylvie valérie véronique sandrine
    martine françoise monique nicole élisabeth elisabeth brigitte ségolène rachida najat marine
    marion agnès aurore amélie claire laure laurence céline julie camille léa chloé manon emma
    ursula angela christiane michèle michelle hélène caroline delphine florence jacqueline
    annie patricia clémentine emmanuelle mathilde pauline élise aurélie audrey stéphanie
    béatrice cécile danielle dominique-anne geneviève juliette louise margaux olivia yaël""".split()
)
MASCULINE_FIRST_NAMES = frozenset(
    """jean pierre paul jacques michel philippe nicolas françois emmanuel bruno gérald gerald
    olivier laurent christophe alain bernard patrick éric eric thierry didier gilles vincent
    sébastien julien thomas alexandre vladimir sergueï dmitri volodymyr édouard edouard gabriel
    manuel lionel dominique-jean benoît yannick fabien raphaël jordan louis marc luc mathieu
    matthieu antoine arnaud xavier yves hervé denis daniel stéphane frédéric guillaume""".split()
)
# Words right before a quoted string that make it a name or title, not speech ("le logo « … »",
# "une opération baptisée « … »").
TITLE_INTRODUCERS = frozenset(
    """logo slogan hashtag mot-dièse intitulé intitulée intitulés intitulées baptisé baptisée baptisés
    baptisées surnommé surnommée surnommés surnommées dénommé dénommée nommé nommée""".split()
)
# A quoted legal charge ("mis en examen pour « homicide volontaire »") is not speech: the
# preposition right before the quotation, and words of the legal context a few words earlier.
CHARGE_PREPOSITIONS = frozenset("pour de d' d’ du".split())
LEGAL_WORDS = frozenset(
    """examen condamné condamnée condamnés condamnées poursuivi poursuivie poursuivis poursuivies
    inculpé inculpée inculpés inculpées plainte plaintes enquête information judiciaire jugé jugée
    jugés jugées écroué écrouée écroués interpellé interpellée interpellés arrêté arrêtée arrêtés
    accusé accusée accusés accusées garde vue déféré déférée renvoyé renvoyée renvoyés procès
    soupçonné soupçonnée soupçonnés condamnation poursuites inculpation""".split()
)
# Nouns that designate an organisation by its kind ("déclare la centrale", "le syndicat"): they
# stand for the organisation of that kind named earlier in the article. Each kind lists the words
# that, in an organisation's name, tell its kind.
ORG_KIND_NOUNS: dict[str, str] = {
    "syndicat": "union", "centrale": "union", "confédération": "union", "fédération": "union",
    "intersyndicale": "union", "ministère": "ministry", "parti": "party", "préfecture": "prefecture",
    "parquet": "parquet", "association": "association", "fondation": "foundation", "agence": "agency",
    "entreprise": "company", "société": "company", "compagnie": "company", "constructeur": "company",
    "club": "club", "université": "university", "commission": "commission", "comité": "committee",
    "mairie": "city", "ville": "city", "gendarmerie": "police", "police": "police", "rectorat": "education",
    "hôpital": "hospital", "tribunal": "court", "ambassade": "embassy", "institut": "agency",
    "organisme": "agency", "office": "agency", "groupe": "company", "enseigne": "company",
    "direction": "company", "ong": "association", "armée": "army", "municipalité": "city",
}
ORG_KIND_NAMES: dict[str, frozenset[str]] = {
    "union": frozenset("cgt cfdt fo cftc unsa sud solidaires fsu cfe-cgc cgc snes snuipp sgp syndicat "
                       "union fédération confédération intersyndicale ouvrière".split()),
    "ministry": frozenset("ministère".split()),
    "party": frozenset("parti ps lr rn lfi pcf eelv modem udi".split()),
}
TITLE_INTRODUCER_BLOCKERS: frozenset[str] = frozenset()
