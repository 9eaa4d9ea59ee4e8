from pipeline.enrich.language import detect_language, normalise_hint, resolve_language

FRENCH = ("Le gouvernement a présenté mercredi un projet de loi sur la réforme des retraites, qui prévoit un "
          "relèvement progressif de l'âge légal de départ. Les syndicats ont aussitôt appelé à la grève. ") * 4
ENGLISH = ("The government presented a pension reform bill on Wednesday that would gradually raise the legal "
           "retirement age. Unions immediately called for a strike across the country. ") * 4


def test_hint_forms_are_normalised():
    assert normalise_hint("fr-FR") == "fr"
    assert normalise_hint("en_US") == "en"
    assert normalise_hint("fra") == "fr"
    assert normalise_hint("") is None
    assert normalise_hint("not a language tag") is None


def test_detector_tells_french_from_english():
    assert detect_language(FRENCH) == "fr"
    assert detect_language(ENGLISH) == "en"


def test_too_little_text_is_unknown():
    assert detect_language("OK 12") is None


def test_hint_wins_on_short_text_but_not_against_a_long_confident_text():
    assert resolve_language("Bonjour à tous.", "en-US") == "en"
    assert resolve_language(FRENCH, "en-US") == "fr"
    assert resolve_language(ENGLISH, None) == "en"
