"""Poll scheduling: adaptive interval, backoff, jitter."""

from __future__ import annotations

import random

from pipeline.feeds.fetch import parse_retry_after
from pipeline.feeds.schedule import (
    MAX_BACKOFF_SECONDS,
    adaptive_interval,
    error_backoff,
    jittered,
    next_due,
    publishing_interval,
)


def test_interval_follows_the_publishing_rate_within_bounds() -> None:
    every_ten_minutes = [1_700_000_000 + i * 600 for i in range(10)]
    assert publishing_interval(every_ten_minutes, 60, 3600) == 300
    assert publishing_interval(every_ten_minutes, 600, 3600) == 600  # min wins
    daily = [1_700_000_000 + i * 86400 for i in range(10)]
    assert publishing_interval(daily, 60, 3600) == 3600  # max wins
    assert publishing_interval([1, 2], 60, 3600) is None  # too few dates to tell


def test_without_dates_activity_shortens_and_silence_lengthens() -> None:
    assert adaptive_interval(None, 60, 3600, new_items=0) == 90
    assert adaptive_interval(600, 60, 3600, new_items=3) == 300
    assert adaptive_interval(3000, 60, 3600, new_items=0) == 3600
    assert adaptive_interval(100, 60, 3600, new_items=5) == 60


def test_backoff_doubles_and_is_capped_at_a_day() -> None:
    assert [error_backoff(n, 60) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert error_backoff(40, 60) == MAX_BACKOFF_SECONDS
    assert error_backoff(1, 60, retry_after=900) == 900
    assert error_backoff(1, 60, retry_after=10 * 86400) == MAX_BACKOFF_SECONDS


def test_jitter_spreads_within_ten_percent() -> None:
    rng = random.Random(1)
    values = [jittered(1000, rng) for _ in range(200)]
    assert min(values) >= 900 and max(values) <= 1100 and len(set(values)) > 100
    assert jittered(MAX_BACKOFF_SECONDS, rng) <= MAX_BACKOFF_SECONDS
    assert 1000 + 90 <= next_due(1000, 100, rng) <= 1000 + 110


def test_retry_after_seconds_and_dates() -> None:
    assert parse_retry_after("120") == 120
    assert parse_retry_after("999999") == MAX_BACKOFF_SECONDS
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 60) == 60
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
