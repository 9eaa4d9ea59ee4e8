from pipeline.enrich.stories import StoryMatcher

WIRE = (
    "Le président russe Vladimir Poutine est arrivé lundi à Minsk pour rencontrer son homologue "
    "biélorusse Alexandre Loukachenko, une première visite depuis 2019. Les deux dirigeants ont "
    "évoqué la coopération militaire, les livraisons d'armes mutuelles et la formation conjointe "
    "des troupes, tandis que Kiev redoute une nouvelle offensive depuis le nord du pays. Le Kremlin "
    "a démenti toute pression sur Minsk pour entrer dans le conflit en Ukraine selon son porte-parole."
)


def test_syndicated_copies_share_a_story_and_others_do_not():
    matcher = StoryMatcher()
    first = matcher.story_id("a1", WIRE)
    copy = matcher.story_id("a2", "Par AFP. " + WIRE.replace("lundi", "ce lundi") + " Lire aussi notre dossier.")
    other = matcher.story_id("a3", " ".join(reversed(WIRE.split())) + " une tout autre histoire ici")
    assert first == "a1"
    assert copy == "a1"
    assert other == "a3"


def test_replay_keeps_the_story_and_short_texts_stand_alone():
    matcher = StoryMatcher()
    matcher.story_id("a1", WIRE)
    assert matcher.story_id("a1", WIRE) == "a1"
    assert matcher.story_id("b1", "Brève: trois mots") == "b1"
    assert matcher.story_id("b2", "Brève: trois mots") == "b2"


def test_memory_is_bounded():
    matcher = StoryMatcher(capacity=3)
    for n in range(6):
        matcher.story_id(f"x{n}", WIRE + f" variante {n}")
    assert len(matcher._story_of) == 3
