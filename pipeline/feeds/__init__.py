"""Feed polling: the feed list's sources fetched politely, parsed, and new entries produced to Kafka.

Modules: `fetch` (HTTP with validators and limits), `parse` (feedparser -> Article records),
`schedule` (adaptive intervals, backoff), `state` (per-feed state in a compacted topic),
`poller` (the asyncio loop), `commands` (`depeche feeds ...` and `depeche poll`).
"""
