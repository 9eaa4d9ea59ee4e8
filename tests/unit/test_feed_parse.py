"""Feed parsing on real-world oddities kept as files under tests/data/feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.feeds.parse import FeedError, check_safe, parse_feed
from pipeline.model import article_id_for

FEEDS = Path(__file__).resolve().parent.parent / "data" / "feeds"
BASE = "https://news.example.org/rss.xml"
NOW = datetime(2025, 1, 1, tzinfo=UTC)


def parse(name: str, headers: dict[str, str] | None = None, **kwargs):
    return parse_feed((FEEDS / name).read_bytes(), "f1", BASE, headers or {"content-type": "application/rss+xml"},
                      now=NOW, **kwargs)


def test_rss_oddities_one_article_per_usable_entry() -> None:
    feed = parse("rss2_oddities.xml", tags=["t"])
    assert feed.version == "rss20" and feed.language == "fr"
    by_title = {a.title: a for a in feed.articles}
    assert len(feed.articles) == 6 and len(feed.skipped) == 2
    assert any("javascript:" in s for s in feed.skipped)
    assert any("No link and no usable guid" in s for s in feed.skipped)

    tracked = by_title["Tracking parameters"]
    assert tracked.url == "https://news.example.org/2024/05/article-1.html?id=42"  # utm/xtor/fragment gone
    assert tracked.id == article_id_for(tracked.url)
    assert tracked.link.startswith("https://News.Example.org/")  # as the feed gave it
    assert tracked.published_at == "2024-05-14T07:30:00Z"  # +02:00 converted to UTC
    assert tracked.authors == ["Jeanne Martin"] and tracked.guid == "urn:example:1"
    assert "du HTML" in tracked.summary and "contenu complet" in tracked.content
    assert tracked.language_hint == "fr" and tracked.tags == ["t"] and tracked.feed_id == "f1"
    assert tracked.content_hash and len(tracked.content_hash) == 16

    assert by_title["Relative link"].url == "https://news.example.org/2024/05/article-2.html"
    assert by_title["No link, guid is a URL"].url == "https://news.example.org/2024/05/article-4.html"
    assert by_title[""].url.endswith("article-6.html")  # no title: kept, with its link
    assert by_title["Dated in the future"].published_at == "2025-01-01T00:00:00Z"  # clamped to now
    assert by_title["Garbage date"].published_at is None


def test_config_language_wins_over_the_feed() -> None:
    assert {a.language_hint for a in parse("rss2_oddities.xml", language="en").articles} == {"en"}


def test_tracking_variants_of_one_link_share_an_id() -> None:
    body = (b'<rss version="2.0"><channel><title>x</title>'
            b"<item><link>https://a.example/x?utm_source=tw</link></item>"
            b"<item><link>https://A.example/x#top</link></item></channel></rss>")
    feed = parse_feed(body, "f", BASE, {})
    assert len({a.id for a in feed.articles}) == 1


def test_atom_and_rdf() -> None:
    atom = parse("atom.xml")
    assert atom.version == "atom10" and atom.language == "en"
    assert atom.articles[0].authors == ["Alice Smith", "Bob Jones"]
    assert atom.articles[0].published_at == "2024-05-14T08:00:00Z"
    assert atom.articles[1].url == "https://news.example.org/two"  # relative href resolved
    rdf = parse("rdf.xml")
    assert rdf.version == "rss10" and [a.title for a in rdf.articles] == ["RDF item A", "RDF item B"]


def test_bozo_feed_with_usable_entries_is_accepted_and_reported() -> None:
    feed = parse("bozo_usable.xml")
    assert feed.bozo and len(feed.articles) == 2
    assert feed.articles[0].title == "Fish & Chips"


@pytest.mark.parametrize("name, headers", [
    ("wrong_charset_latin1.xml", {"content-type": "text/xml"}),
    ("header_charset_latin1.xml", {"content-type": "text/xml; charset=iso-8859-1"}),
])
def test_wrong_or_missing_charset(name: str, headers: dict[str, str]) -> None:
    titles = [a.title for a in parse(name, headers).articles]
    assert titles in (["Déjà vu à l'été"], ["Hélène à Noël"])


@pytest.mark.parametrize("name, message", [
    ("html_page.html", "HTML page"),
    ("garbage.bin", "not an RSS/Atom feed"),
    ("empty.xml", "empty body"),
    ("malformed.xml", "malformed"),
    ("entity_bomb.xml", "entities"),
])
def test_unusable_bodies_are_clear_errors(name: str, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        parse(name, {"content-type": "text/html"} if name.endswith(".html") else None)


def test_entity_bomb_in_utf16_is_refused_too() -> None:
    body = (FEEDS / "entity_bomb.xml").read_text()
    body = body.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-16"?>')
    with pytest.raises(FeedError, match="entities"):
        check_safe(body.encode("utf-16"))


def test_html_entities_without_dtd_are_fine() -> None:
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
            b"<item><title>Caf&eacute; &amp; cr&egrave;me</title><link>https://e.example/1</link></item>"
            b"</channel></rss>")
    assert parse_feed(body, "f", BASE, {}).articles[0].title.startswith("Caf")


def test_entry_without_any_link_only_feed_is_an_error() -> None:
    body = b'<rss version="2.0"><channel><title>x</title><item><title>only a title</title></item></channel></rss>'
    with pytest.raises(FeedError, match="no usable link|none of the 1 entries"):
        parse_feed(body, "f", BASE, {})


def test_valid_feed_without_entries_is_not_an_error() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>quiet</title></channel></rss>'
    assert parse_feed(body, "f", BASE, {}).articles == []
