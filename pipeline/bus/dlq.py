"""Dead-letter records: a message a stage cannot process, with the reason, so nothing is lost silently."""

from __future__ import annotations

import base64
import json

from pipeline.model import utc_now_iso


def dead_letter(stage: str, reason: str, key: str | None, value: bytes | None,
                source_topic: str, partition: int | None = None, offset: int | None = None) -> bytes:
    """The JSON value of a DLQ record; the original message travels with it, intact."""
    try:
        original: object = json.loads(value) if value is not None else None
    except (ValueError, UnicodeDecodeError):
        original = {"base64": base64.b64encode(value or b"").decode("ascii")}
    return json.dumps(
        {
            "stage": stage,
            "reason": reason[:2000],
            "key": key,
            "source": {"topic": source_topic, "partition": partition, "offset": offset},
            "failed_at": utc_now_iso(),
            "original": original,
        },
        ensure_ascii=False,
    ).encode("utf-8")
