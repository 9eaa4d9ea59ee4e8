"""The feed list file: validation messages, defaults, save, hot reload, OPML."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from pipeline.config import REPO_ROOT, ConfigError
from pipeline.feedlist import (
    FeedListWatcher,
    id_from_url,
    load_feed_list,
    opml_feeds,
    parse_feed_list,
    save_feed_list,
    to_opml,
    with_feed,
    without_feed,
)

GOOD = """
defaults:
  interval: {min: 5m, max: 2h}
  language: fr
  tags: [news]
feeds:
  - id: one
    url: https://one.example/rss
    name: One
  - id: two
    url: https://two.example/atom
    language: en-GB
    interval: {min: 90s}
    tags: [world]
    enabled: false
"""


def test_defaults_apply_and_feeds_override() -> None:
    feeds = parse_feed_list(GOOD, "feeds.yaml")
    one, two = feeds.feeds
    assert (one.language, one.interval.min, one.interval.max, one.tags) == ("fr", 300, 7200, ["news"])
    assert (two.language, two.interval.min, two.interval.max) == ("en", 90, 7200)
    assert two.tags == ["news", "world"] and not two.enabled
    assert [f.id for f in feeds.enabled()] == ["one"]


@pytest.mark.parametrize("text, expected", [
    ("feeds:\n  - id: a\n    url: ftp://x\n", ["feeds.yaml", "feed 'a' (#1)", "key 'url'", "http(s)"]),
    ("feeds:\n  - url: https://x.example\n", ["feed #1", "key 'id'"]),
    ("feeds:\n  - id: a\n    url: https://x.example\n    intervall: 5m\n", ["feed 'a'", "'intervall'"]),
    ("feeds:\n  - id: a\n    url: https://x.example\n    interval: {min: 2h, max: 5m}\n", ["feed 'a'", "above max"]),
    ("feeds:\n  - id: a\n    url: https://x.example\n    interval: {min: soon}\n", ["key 'interval.min'", "duration"]),
    ("feeds:\n  - id: a\n    url: https://x.example\n  - id: a\n    url: https://y.example\n",
     ["feed 'a' (#2)", "duplicate"]),
    ("feeds:\n  - id: Bad Id\n    url: https://x.example\n", ["feed 'Bad Id' (#1)", "key 'id'"]),
    ("defaults:\n  language: french!\nfeeds: []\n", ["key 'defaults.language'"]),
    ("feeds: [\n", ["feeds.yaml line", "not valid YAML"]),
    ("feed:\n  - id: a\n", ["'feed' is not known"]),
])
def test_errors_name_file_feed_and_key(text: str, expected: list[str]) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_feed_list(text, "feeds.yaml")
    for part in expected:
        assert part in str(caught.value), (part, str(caught.value))


def test_the_shipped_feed_list_is_valid() -> None:
    feeds = load_feed_list(REPO_ROOT / "config" / "feeds.yaml")
    assert len(feeds.feeds) >= 10
    assert {"fr", "en"} <= {f.language for f in feeds.feeds}


def test_add_remove_save_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(GOOD)
    feeds = with_feed(load_feed_list(path), {"id": "three", "url": "https://three.example/rss", "tags": ["x"]})
    save_feed_list(feeds, path)
    text = path.read_text()
    assert text.startswith("# depeche feed list")
    again = load_feed_list(path)
    assert [f.id for f in again.feeds] == ["one", "two", "three"]
    assert again.by_id()["two"] == feeds.by_id()["two"]  # the others are preserved exactly
    with pytest.raises(ConfigError, match="already"):
        with_feed(again, {"id": "three", "url": "https://other.example"})
    save_feed_list(without_feed(again, "one"), path)
    assert [f.id for f in load_feed_list(path).feeds] == ["two", "three"]
    with pytest.raises(ConfigError, match="no feed with id"):
        without_feed(again, "nope")


def test_hot_reload_takes_valid_edits_and_keeps_the_last_good_list(tmp_path: Path, caplog) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(GOOD)
    watcher = FeedListWatcher(path)
    assert watcher.check() is None  # unchanged
    path.write_text(GOOD.replace("id: one", "id: uno"))
    os.utime(path, ns=(1, 10**18))
    assert [f.id for f in watcher.check().feeds] == ["uno", "two"]
    with caplog.at_level(logging.ERROR):
        path.write_text("feeds:\n  - id: x\n    url: nope\n")
        os.utime(path, ns=(1, 2 * 10**18))
        assert watcher.check() is None
    assert [f.id for f in watcher.current.feeds] == ["uno", "two"]
    assert "key 'url'" in watcher.last_error and "refused" in caplog.text


def test_opml_import_export_round_trip() -> None:
    feeds = parse_feed_list(GOOD)
    found = opml_feeds(to_opml(feeds).encode())
    assert [f["url"] for f in found] == ["https://one.example/rss", "https://two.example/atom"]
    assert found[1]["tags"] == ["news", "world"] and found[1]["language"] == "en"


def test_opml_folders_become_tags_and_dtds_are_refused() -> None:
    opml = b"""<?xml version="1.0"?><opml version="1.0"><head/><body>
      <outline text="Monde"><outline text="BBC" xmlUrl="https://bbc.example/rss"/></outline>
      <outline text="no url"/></body></opml>"""
    assert opml_feeds(opml) == [{"url": "https://bbc.example/rss", "name": "BBC", "tags": ["Monde"],
                                 "language": None}]
    with pytest.raises(ConfigError, match="DOCTYPE"):
        opml_feeds(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><opml/>')
    with pytest.raises(ConfigError, match="not an OPML"):
        opml_feeds(b"<rss/>")


def test_ids_from_urls_are_readable_and_unique() -> None:
    assert id_from_url("https://www.lemonde.fr/international/rss_full.xml") == "lemonde-international-full"
    assert id_from_url("https://feeds.bbci.co.uk/news/rss.xml", {"bbci.co-news"}) == "bbci.co-news-2"
