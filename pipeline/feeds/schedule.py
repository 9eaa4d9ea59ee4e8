"""When to poll a feed next: pure functions, so the policy is testable without clocks or servers.

- Healthy feed: the interval follows the feed's publishing rate (half the median gap between its
  recent entries, so a new article waits on average a quarter of a gap), within the feed's min/max.
  Without dates, a poll that found something shortens the interval and an empty one lengthens it.
- Failing feed: exponential backoff from the min interval, doubled per consecutive error, capped
  at a day; a server's Retry-After is honoured (also capped at a day). Never dropped.
- Jitter (+-10%) keeps feeds of one host from being polled in lock-step after a restart.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Iterable

MAX_BACKOFF_SECONDS = 86400.0
JITTER_FRACTION = 0.1
RATE_SAMPLE = 20  # recent entries used for the publishing rate


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def publishing_interval(published: Iterable[float], min_s: float, max_s: float) -> float | None:
    """Interval matching the publishing rate seen in entry timestamps (epoch s); None if unknown."""
    times = sorted({t for t in published if t and t > 0}, reverse=True)[:RATE_SAMPLE]
    if len(times) < 3:
        return None
    gaps = [a - b for a, b in zip(times, times[1:], strict=False) if a - b > 0]
    if not gaps:
        return None
    return clamp(statistics.median(gaps) / 2, min_s, max_s)


def adaptive_interval(current: float | None, min_s: float, max_s: float, new_items: int,
                      published: Iterable[float] = ()) -> float:
    """The next healthy interval from the feed's dates, else from whether this poll found anything."""
    from_dates = publishing_interval(published, min_s, max_s)
    if from_dates is not None:
        return from_dates
    base = current if current else min_s
    return clamp(base / 2 if new_items else base * 1.5, min_s, max_s)


def error_backoff(error_streak: int, min_s: float, retry_after: float | None = None) -> float:
    """Delay after `error_streak` consecutive failures (>= 1): min * 2^(streak-1), capped at a day."""
    exponent = min(max(error_streak - 1, 0), 30)
    delay = min(min_s * (2 ** exponent), MAX_BACKOFF_SECONDS)
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_BACKOFF_SECONDS))
    return delay


def jittered(seconds: float, rng: random.Random | None = None, fraction: float = JITTER_FRACTION) -> float:
    """`seconds` +- `fraction`, never beyond the one-day cap."""
    spread = seconds * fraction
    return min(seconds + (rng or random).uniform(-spread, spread), MAX_BACKOFF_SECONDS)


def next_due(now: float, delay: float, rng: random.Random | None = None) -> float:
    """Epoch time of the next poll after waiting about `delay` seconds."""
    return now + jittered(delay, rng)
