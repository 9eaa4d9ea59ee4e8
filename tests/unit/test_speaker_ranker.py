"""The learned speaker ranker: its features, its decision, its training and the shipped model."""

import json

import pytest

from pipeline.enrich import ranking
from pipeline.enrich.analyse import analyse_text
from pipeline.enrich.entities import build_index
from pipeline.enrich.models import get_model
from pipeline.enrich.quotes import find_quote_spans
from pipeline.enrich.ranker_training import Example, accuracy, fit
from pipeline.enrich.speakers import rules_and_features

TEXT = ("Le maire de Lyon, Grégory Doucet, a inauguré la ligne mardi. La présidente de la région, "
        "Marie Dupont, était absente.\n\n"
        "« C'est une journée historique pour les habitants », a déclaré Grégory Doucet.\n\n"
        "« Nous attendions ce tramway depuis dix ans. »")


def features_of(text, lang="fr"):
    doc = get_model(lang)(text)
    index = build_index(doc)
    attributions, features = rules_and_features(doc, find_quote_spans(doc.text, lang), index, lang)
    return attributions, features, index


def candidate_named(index, features, name):
    return next(g for g in features.candidates if index.groups[g].canonical == name)


def test_every_quotation_has_nobody_and_every_entity_as_candidates():
    attributions, features, index = features_of(TEXT)
    rows = features.rows(0)
    assert rows[0][0] == ranking.NOBODY
    assert {c for c, _ in rows[1:]} == set(range(len(index.groups)))
    doucet = candidate_named(index, features, "Grégory Doucet")
    facts = dict(rows)[doucet]
    assert facts["rule"] == 1.0  # the rules chose him: "a déclaré Grégory Doucet"
    assert "speech_subject_after0_PER" in facts  # named right after the speech verb
    assert attributions[0].speaker == "Grégory Doucet"


def test_the_decision_follows_the_weights():
    _, features, index = features_of(TEXT)
    doucet = candidate_named(index, features, "Grégory Doucet")
    assert ranking.choose(features, {"rule": 5.0}, 0) == doucet
    # the rules found a speaker for the first quotation: the ranker may not take it away
    assert ranking.choose(features, {"rule": 5.0, "nobody": 10.0}, 0) == doucet
    assert ranking.choose(features, {"label_ORG": 5.0, "nobody": 10.0}, 0) != ranking.NOBODY
    # the second quotation has no cue: whoever the weights favour among its facts wins
    prev = ranking.choose(features, {"prev_speaker_rule_nobody": 5.0, "prev_speaker_rule_someone": 5.0}, 1)
    assert prev == doucet


def test_the_ranker_never_changes_which_quotations_are_reported():
    with_ranker = analyse_text(TEXT, "fr").quotes
    ranking.set_enabled(False)
    try:
        rules_only = analyse_text(TEXT, "fr").quotes
    finally:
        ranking.set_enabled(True)
    assert [(q.start, q.end) for q in with_ranker] == [(q.start, q.end) for q in rules_only]


def _example(doc_id, right, rule):
    # two candidates (0 and 1) besides nobody; "clue" marks the right one, "rule" the rules' pick
    rows = [(ranking.NOBODY, {"nobody": 1.0})]
    for cand in (0, 1):
        facts = {"clue": 1.0} if cand == right else {}
        if cand == rule:
            facts["rule"] = 1.0
        rows.append((cand, facts))
    return Example(doc_id, "fr", rule, right, True, rows)


def test_training_learns_a_fact_that_predicts_the_speaker_better_than_the_rules():
    examples = [_example(f"d{i}", right=i % 2, rule=0) for i in range(40)]
    weights = fit(examples)
    assert weights["clue"] > weights.get("rule", 0.0)
    assert accuracy(examples, None) == (20, 40)  # the rules are right half of the time
    assert accuracy(examples, weights) == (40, 40)


def test_the_shipped_model_covers_both_languages_and_left_the_held_out_split_out():
    model = json.loads(ranking.MODEL_PATH.read_text(encoding="utf-8"))
    assert set(model["weights"]) == {"fr", "en"}
    # the latest held-out split still measures something
    assert "test27" not in model["splits"]
    assert "test26" in model["splits"]
    for weights in model["weights"].values():
        assert weights["rule"] > 0  # the rules' choice is the strongest single fact


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_load_weights_gives_a_table_per_language(lang):
    weights = ranking.load_weights()
    assert weights is not None and "bias" in weights[lang]


def test_train_ranker_command_writes_weights_for_the_gold_it_read(tmp_path, capsys):
    from pipeline.cli import main

    out = tmp_path / "ranker.json"
    assert main(["train-ranker", "tests/data/gold/seed-bfmtv.json", "tests/data/gold/quotes-dev.json",
                 "--output", str(out)]) == 0
    model = json.loads(out.read_text(encoding="utf-8"))
    assert model["trained_on"]["fr"]["articles"] >= 2
    assert model["weights"]["fr"]["rule"] > 0
    assert main(["train-ranker", "tests/data/gold/seed-bfmtv.json", "--exclude-split", "dev",
                 "--output", str(out)]) == 2
    assert "no gold article left" in capsys.readouterr().err
