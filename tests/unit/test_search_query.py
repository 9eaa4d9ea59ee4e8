"""Query building: safe user text, lemma clauses, filters, paging, caps. No server needed."""

from __future__ import annotations

import json

import pytest

from pipeline.index.search import (
    SAFE_FLAGS,
    QueryError,
    SearchParams,
    build_quotes,
    build_search,
    build_top_entities,
    decode_cursor,
    encode_cursor,
    parse_since,
)


def fake_lemmas(text: str, lang: str) -> str:
    return {"fr": "election presidentiel", "en": "election presidential"}[lang]


def _clauses(body: dict) -> list:
    return body["query"]["bool"]["must"]


def test_plain_query_uses_safe_simple_query_string_and_lemma_clauses():
    body = build_search(SearchParams(query="élections présidentielles"), lemmatizer=fake_lemmas)
    (clause,) = _clauses(body)
    should = clause["bool"]["should"]
    sqs = should[0]["simple_query_string"]
    assert sqs["flags"] == SAFE_FLAGS and "REGEXP" not in sqs["flags"] and "PREFIX" not in sqs["flags"]
    assert sqs["lenient"] is True and sqs["default_operator"] == "and"
    lemma_queries = [c["match"]["lemmas"]["query"] for c in should[1:]]
    assert "election presidentiel" in lemma_queries and "election presidential" in lemma_queries
    assert "elections presidentielles" in lemma_queries  # folded words as typed
    assert clause["bool"]["minimum_should_match"] == 1
    assert body["sort"][0] == {"_score": "desc"}  # a query sorts by relevance unless told
    assert body["highlight"]["encoder"] == "html"
    assert "script" not in json.dumps(body)


def test_lang_filter_lemmatises_in_that_language_only():
    body = build_search(SearchParams(query="élections", lang="FR"), lemmatizer=fake_lemmas)
    should = _clauses(body)[0]["bool"]["should"]
    assert [c["match"]["lemmas"]["query"] for c in should[1:]][0] == "election presidentiel"
    assert {"term": {"language": "fr"}} in body["query"]["bool"]["filter"]


def test_operator_query_gets_no_lemma_clause():
    body = build_search(SearchParams(query='"livraisons d\'armes" -Kiev'), lemmatizer=fake_lemmas)
    assert "simple_query_string" in _clauses(body)[0]


@pytest.mark.parametrize("silly", ['"unbalanced', "((((", "[a-z]+.*{1,99999}", "/.*/", "a" * 499, "\x00\x07 nul"])
def test_silly_queries_build_safely(silly):
    body = build_search(SearchParams(query=silly), lemmatizer=lambda t, lang: None)
    sqs = json.dumps(body)
    assert "regexp" not in sqs and "query_string\"" not in sqs.replace("simple_query_string", "")


def test_huge_query_is_a_clear_error():
    with pytest.raises(QueryError, match="too long"):
        build_search(SearchParams(query="x" * 5000))


def test_filters_entity_speaker_feed_lang_time():
    body = build_search(SearchParams(entity="Loukachenko", speaker="Vladimir Poutine", feed="bfm", lang="fr",
                                     since="2h"))
    filters = body["query"]["bool"]["filter"]
    assert {"match": {"entity_names.text": {"query": "Loukachenko", "operator": "and"}}} in filters
    assert {"match": {"speakers.text": {"query": "Vladimir Poutine", "operator": "and"}}} in filters
    assert {"term": {"feed_id": "bfm"}} in filters
    assert {"range": {"date": {"gte": "now-2h"}}} in filters
    assert body["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}  # no query: newest first
    assert "highlight" not in body


def test_from_to_dates_and_conflicts():
    body = build_search(SearchParams(date_from="2024-12-19", date_to="2024-12-20"))
    assert {"range": {"date": {"gte": "2024-12-19", "lte": "2024-12-20||/d"}}} in body["query"]["bool"]["filter"]
    with pytest.raises(QueryError):
        build_search(SearchParams(since="2h", date_from="2024-12-19"))
    with pytest.raises(QueryError, match="expected a date"):
        build_search(SearchParams(date_from="yesterday"))


@pytest.mark.parametrize("value,expected", [("2h", "now-2h"), ("30m", "now-30m"), (" 7D ", "now-7d")])
def test_parse_since(value, expected):
    assert parse_since(value) == expected


@pytest.mark.parametrize("value", ["2", "h", "2x", "-1h", "99999w"])
def test_parse_since_rejects(value):
    with pytest.raises(QueryError):
        parse_since(value)


def test_page_size_capped_and_search_after_round_trip():
    cursor = encode_cursor([1734600000000, "abc"])
    body = build_search(SearchParams(size=5000, after=cursor), max_page_size=100)
    assert body["size"] == 100
    assert body["search_after"] == [1734600000000, "abc"] == decode_cursor(cursor)
    with pytest.raises(QueryError, match="cursor"):
        build_search(SearchParams(after="not-a-cursor!!"))
    with pytest.raises(QueryError):
        build_search(SearchParams(size=0))


def test_quotes_query_is_nested_with_inner_hits_and_speaker_filter():
    body = build_quotes(SearchParams(query="sécurité", speaker="Alexandre Loukachenko", size=3))
    nested = body["query"]["bool"]["must"][0]["nested"]
    assert nested["path"] == "quotes" and "inner_hits" in nested
    assert {"match": {"quotes.speaker.text": {"query": "Alexandre Loukachenko", "operator": "and"}}} \
        in nested["query"]["bool"]["filter"]
    assert body["aggs"]["quotes"]["aggs"]["matching"]["filter"] == nested["query"]
    assert body["size"] == 3


def test_top_entities_window_and_label():
    body = build_top_entities(6, "per", 5)
    assert body["query"]["range"]["date"]["gte"] == "now-6h"
    assert list(body["aggs"]) == ["PER"] and body["aggs"]["PER"]["terms"] == {"field": "entities_per", "size": 5}
    assert len(build_top_entities(24)["aggs"]) == 4
    with pytest.raises(QueryError):
        build_top_entities(0)
    with pytest.raises(QueryError):
        build_top_entities(24, "FOO")
