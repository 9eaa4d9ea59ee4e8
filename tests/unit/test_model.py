import pytest

from pipeline.model import Article, Entity, Quote, RecordError, article_id_for


def test_article_round_trips_through_json():
    article = Article(
        id=article_id_for("https://example.org/x"), url="https://example.org/x", feed_id="f",
        title="Titre é", entities=[Entity("Vladimir Poutine", "PER", 7)],
        quotes=[Quote("dans tous les domaines", "Vladimir Poutine", 10, 32, "a déclaré")],
    )
    back = Article.from_json(article.to_json())
    assert back == article
    assert "é" in article.to_json().decode("utf-8")  # readable UTF-8, not escapes


def test_id_is_stable_and_depends_on_the_url():
    assert article_id_for("https://a.example/1") == article_id_for("https://a.example/1")
    assert article_id_for("https://a.example/1") != article_id_for("https://a.example/2")


@pytest.mark.parametrize("raw, reason", [
    (b"not json", "not JSON"),
    (b"[1, 2]", "not a JSON object"),
    (b'{"id": "x", "url": "u"}', "feed_id"),
    (b'{"schema": 99, "id": "x", "url": "u", "feed_id": "f"}', "schema"),
    (b'{"id": "x", "url": "u", "feed_id": "f", "quotes": [{"bogus": 1}]}', "malformed"),
])
def test_bad_messages_raise_record_error(raw, reason):
    with pytest.raises(RecordError, match=reason):
        Article.from_json(raw)
