from pathlib import Path

import pytest

from pipeline.enrich.evaluate import GoldDoc, evaluate, load_gold, quotes_match, score_document

GOLD = Path(__file__).resolve().parents[1] / "data" / "gold"


def test_matching_normalises_case_space_apostrophes_and_edge_punctuation():
    assert quotes_match("  L’objet de ma visite,  ", "l'objet de ma visite")
    assert quotes_match("Non!", "non")
    assert not quotes_match("non", "nous")


def test_containment_needs_more_than_twenty_characters():
    assert quotes_match("une phrase assez longue pour compter", "Il a dit une phrase assez longue pour compter hier")
    assert not quotes_match("sans fondement", "stupides et sans fondement")


def test_not_quotes_are_false_positives_and_unattributed_spans_are_free():
    gold = GoldDoc(id="x", lang="fr", text="", quotes=[{"quote": "Bonjour à tous", "speaker": "Jean Dupont"}],
                   not_quotes=["Le Monde"], unattributed=["tactiques"])
    predicted = [{"text": "Bonjour à tous", "speaker": "jean dupont"}, {"text": "Le Monde", "speaker": None},
                 {"text": "tactiques", "speaker": None}]
    score = score_document(gold, predicted, [])
    assert score.predicted == 2 and score.matched_pred == 1
    assert score.recall == 1.0 and score.precision == 0.5
    assert score.speaker_accuracy == 1.0  # case-insensitive names


def test_speaker_accuracy_ignores_null_gold_speakers():
    gold = GoldDoc(id="x", lang="en", text="", quotes=[{"quote": "We will win", "speaker": None},
                                                        {"quote": "They will lose", "speaker": "Ana Díaz"}])
    score = score_document(gold, [{"text": "We will win", "speaker": "Someone"},
                                  {"text": "They will lose", "speaker": "Ana Diaz"}], [])
    assert score.speaker_total == 1 and score.speaker_correct == 1  # accents ignored


@pytest.fixture(scope="module")
def seed_score():
    docs = load_gold(GOLD / "seed-bfmtv.json")
    return evaluate(docs)[("all", "dev", "fr")]


def test_seed_gold_meets_the_issue_targets(seed_score):
    assert seed_score.precision >= 0.95
    assert seed_score.recall >= 0.95
    assert seed_score.speaker_accuracy >= 0.95
    assert seed_score.entities_found == seed_score.entities_required == 12


def test_gold_files_load_with_their_texts():
    for name in ("seed-bfmtv.json", "quotes-dev.json", "dev-depeche.json"):
        docs = load_gold(GOLD / name)
        assert docs and all(d.text for d in docs)
    dev = load_gold(GOLD / "dev-depeche.json")
    assert sum(d.lang == "fr" for d in dev) >= 10 and sum(d.lang == "en" for d in dev) >= 5
    for lang in ("fr", "en"):
        assert any(d.split == "test" for d in dev if d.lang == lang)
    for doc in dev:
        for q in doc.quotes:
            assert q["quote"] in doc.text
