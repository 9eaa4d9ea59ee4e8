"""The HTTP API on the real Elasticsearch, through FastAPI's TestClient (in-process HTTP)."""

from __future__ import annotations

import pytest
from elasticsearch import helpers
from fastapi.testclient import TestClient

from pipeline.api.app import create_app
from pipeline.index.client import make_client
from pipeline.index.mapping import to_document
from pipeline.index.setup import setup, teardown
from tests.integration.seed_article import SEED_TITLE, filler_article, seed_article

pytestmark = pytest.mark.integration


def index_articles(settings, articles) -> None:
    """Index with the production mapping and document shape (the indexer's own path is tested elsewhere)."""
    es = make_client(settings)
    setup(es, settings)
    helpers.bulk(es, ({"_index": settings.index_alias, "_id": a.id, "_source": to_document(a)} for a in articles),
                 refresh=True)
    es.close()


@pytest.fixture
def client(settings, es):
    seed = seed_article()
    index_articles(settings, [seed] + [filler_article(n) for n in range(25)])
    limited = settings.model_copy(update={"api": settings.api.model_copy(update={"max_page_size": 10})})
    with TestClient(create_app(limited, warm_up=False)) as test_client:
        yield test_client
    teardown(es, settings)


def test_search_quotes_article_and_trends(client):
    found = client.get("/search", params={"q": "Loukachenko"}).json()
    assert found["total"] == 1 and found["hits"][0]["title"] == SEED_TITLE
    article_id = found["hits"][0]["id"]

    quotes = client.get("/quotes", params={"speaker": "Alexandre Loukachenko"}).json()
    assert quotes["hits"] and all(q["article_id"] == article_id for q in quotes["hits"])

    article = client.get(f"/articles/{article_id}").json()
    assert article["title"] == SEED_TITLE and "lemmas" not in article and article["quotes"]
    missing = client.get("/articles/doesnotexist")
    assert missing.status_code == 404 and "error" in missing.json()

    top = client.get("/entities/top", params={"hours": 6}).json()
    names = {e["text"]: e for e in top["entities"]}
    assert names["Harbour Council"]["count"] == 25 and names["Harbour Council"]["label"] == "ORG"
    assert "Vladimir Poutine" in {e["text"] for e in
                                  client.get("/entities/top", params={"label": "PER"}).json()["entities"]}
    assert sum(n for _, n in names["Harbour Council"]["series"]) == 25


def test_paging_capped_and_search_after(client):
    first = client.get("/search", params={"size": 500}).json()
    assert first["total"] == 26 and len(first["hits"]) == 10  # capped at api.max_page_size
    seen = [h["id"] for h in first["hits"]]
    cursor = first["next"]
    while cursor:
        page = client.get("/search", params={"size": 10, "after": cursor}).json()
        seen += [h["id"] for h in page["hits"]]
        cursor = page["next"]
    assert len(seen) == len(set(seen)) == 26


def test_errors_are_clean_json(client):
    for params in ({"q": "x" * 600}, {"since": "soon"}, {"after": "garbage!"}, {"size": 0}, {"sort": "random"}):
        response = client.get("/search", params=params)
        assert response.status_code == 400, params
        assert set(response.json()) == {"error"}
    for silly in ['"unbalanced', "((((", "[a-z]+.*", "\\"]:
        assert client.get("/search", params={"q": silly}).status_code == 200
    assert client.get("/entities/top", params={"hours": 0}).status_code == 400


def test_health_metrics_openapi_page(client):
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["index"] is True
    assert b"depeche_indexed_total" in client.get("/metrics").content
    assert "/search" in client.get("/openapi.json").json()["paths"]
    page = client.get("/")
    assert page.status_code == 200 and 'id="q"' in page.text
    assert client.get("/static/app.js").status_code == 200


def test_api_key(settings, es):
    index_articles(settings, [seed_article()])
    keyed = settings.model_copy(update={"api": settings.api.model_copy(update={"api_key": "s3cret"})})
    try:
        with TestClient(create_app(keyed, warm_up=False)) as client:
            assert client.get("/search", params={"q": "Minsk"}).status_code == 401
            assert client.get("/search", params={"q": "Minsk"}, headers={"X-API-Key": "nope"}).status_code == 401
            assert client.get("/search", params={"q": "Minsk"}, headers={"X-API-Key": "s3cret"}).json()["total"] == 1
            assert client.get("/health").status_code == 200 and client.get("/").status_code == 200
    finally:
        teardown(es, settings)


def test_elasticsearch_down_is_503(settings):
    dead = settings.model_copy(update={"elasticsearch": settings.elasticsearch.model_copy(
        update={"url": "http://127.0.0.1:9"})})
    with TestClient(create_app(dead, es=make_client(dead, max_retries=0), warm_up=False)) as client:
        response = client.get("/search", params={"q": "x"})
        assert response.status_code == 503 and "error" in response.json()
        assert client.get("/health").status_code == 503
