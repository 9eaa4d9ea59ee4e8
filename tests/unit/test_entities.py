from pathlib import Path

import pytest

from pipeline.enrich.analyse import analyse_text

SEED = Path(__file__).resolve().parents[1] / "data" / "gold" / "bfmtv-poutine-minsk.txt"


@pytest.fixture(scope="module")
def seed_entities():
    return {e.text: e for e in analyse_text(SEED.read_text(encoding="utf-8"), "fr").entities}


def test_one_entity_per_person_with_all_mentions(seed_entities):
    putin = seed_entities["Vladimir Poutine"]
    assert putin.label == "PER" and putin.count >= 7
    assert "Poutine" not in seed_entities  # the bare surname merged into the full name
    assert seed_entities["Alexandre Loukachenko"].count >= 5


def test_surface_forms_are_clean(seed_entities):
    for text in seed_entities:
        assert text == text.strip() and "\n" not in text
        assert not text.lower().startswith(("la ", "le ", "l'"))
    assert "France" in seed_entities


def test_photo_credit_is_not_an_entity(seed_entities):
    assert not any("ZAVRAZHIN" in t or "SPUTNIK" in t or "Konstantin" in t for t in seed_entities)


def test_model_mistakes_are_outvoted(seed_entities):
    assert seed_entities["Kremlin"].label != "PER"


def test_english_labels_are_normalised():
    text = ("Sir Richard Dalton, a former British ambassador to Tehran, met officials of the United Nations "
            "in New York on Monday. Dalton said the talks with the Foreign Office had been useful.")
    ents = {e.text: e for e in analyse_text(text, "en").entities}
    assert ents["Sir Richard Dalton"].label == "PER" and ents["Sir Richard Dalton"].count == 2
    assert ents["New York"].label == "LOC"
    assert ents["Tehran"].label == "LOC"
    assert all(e.label in {"PER", "ORG", "LOC", "MISC"} for e in ents.values())
    assert not any(e.text == "Monday" for e in ents.values())  # dates are not entities


def test_street_named_after_a_person_is_a_place():
    text = ("Un incendie a ravagé un immeuble de la rue Erlanger à Paris. Le pompier Quentin Martin "
            "a été interpellé avenue Victor Hugo.")
    ents = {e.text: e.label for e in analyse_text(text, "fr").entities}
    assert ents.get("Erlanger") in (None, "LOC") and ents.get("Victor Hugo") in (None, "LOC")
    assert ents.get("Quentin Martin") == "PER"


def test_fullest_name_when_the_model_tags_only_the_surname():
    text = ("Stuart Bostock with Cayman Crime Stoppers said it was not new. Bostock said the police often "
            "asked for help.")
    ents = {e.text: e for e in analyse_text(text, "en").entities}
    assert "Stuart Bostock" in ents and ents["Stuart Bostock"].label == "PER"
    assert "Bostock" not in ents


def test_title_case_heading_does_not_glue_a_word_to_the_name():
    text = ("Lies Won't Be Told To Defend Govt – Information Minister, Idris Vows\n\n"
            "Muhammed Idris, newly-inaugurated Minister of Information, has promised transparency. "
            "Idris said the ministry would own up where it errs.")
    ents = {e.text: e for e in analyse_text(text, "en").entities}
    assert "Muhammed Idris" in ents and "Idris Vows" not in ents


def test_name_completion_stops_at_a_capitalised_title():
    text = ("Nephas Chifuta said that the Minister of Home Affairs Stephen Kampyongo gave no interview. "
            "Kampyongo was in Lusaka.")
    ents = {e.text for e in analyse_text(text, "en").entities}
    assert "Stephen Kampyongo" in ents and "Affairs Stephen Kampyongo" not in ents


def test_agreeing_participle_gives_a_person_a_gender():
    from pipeline.enrich.entities import build_index
    from pipeline.enrich.models import get_model

    nlp = get_model("fr")
    index = build_index(nlp("Claude Rivière s'est dite inquiète par la situation à Lyon."))
    assert {g.canonical: g.gender for g in index.groups if g.label == "PER"} == {"Claude Rivière": "f"}
    index = build_index(nlp("Claude Rivière s'est dit inquiet par la situation à Lyon."))
    assert {g.canonical: g.gender for g in index.groups if g.label == "PER"} == {"Claude Rivière": "m"}
