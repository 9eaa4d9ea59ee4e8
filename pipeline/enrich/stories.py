"""Syndicated copies: the same wire story under several URLs gets one `story_id`.

Each text gets a MinHash signature (datasketch) over word 5-shingles; an LSH index finds earlier
texts whose estimated Jaccard similarity passes the threshold, and the new text takes that story's
id. The index keeps the most recent `capacity` stories in memory per worker: copies of a wire story
arrive within hours of each other, so a bounded window is enough, and memory stays flat.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from datasketch import MinHash, MinHashLSH

_WORD = re.compile(r"\w+", re.UNICODE)
NUM_PERM = 64


def signature(text: str, shingle: int = 5) -> MinHash | None:
    """MinHash of the text's word shingles, or None when the text is too short to compare."""
    words = _WORD.findall(text.lower())
    if len(words) < 40:  # short blurbs look alike by accident
        return None
    minhash = MinHash(num_perm=NUM_PERM)
    minhash.update_batch(
        [" ".join(words[i:i + shingle]).encode("utf-8") for i in range(len(words) - shingle + 1)]
    )
    return minhash


class StoryMatcher:
    def __init__(self, threshold: float = 0.7, capacity: int = 50_000) -> None:
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._story_of: OrderedDict[str, str] = OrderedDict()  # article id -> story id, oldest first
        self.capacity = capacity

    def story_id(self, article_id: str, text: str) -> str:
        """The story this article belongs to: an earlier near-duplicate's story, else its own id."""
        if article_id in self._story_of:
            return self._story_of[article_id]  # replays keep their story
        minhash = signature(text)
        if minhash is None:
            return article_id
        matches = self._lsh.query(minhash)
        story = min((self._story_of[m] for m in matches if m in self._story_of), default=article_id)
        self._lsh.insert(article_id, minhash)
        self._story_of[article_id] = story
        if len(self._story_of) > self.capacity:
            oldest, _ = self._story_of.popitem(last=False)
            self._lsh.remove(oldest)
        return story
