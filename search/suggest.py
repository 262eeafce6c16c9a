"""Spelling suggestions from the index vocabulary: unknown query words replaced by close known words."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from difflib import SequenceMatcher

from search.text import STOP_WORDS, words

__all__ = ["Vocabulary"]


def _distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, giving up above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


class Vocabulary:
    """Document frequencies of the indexed words, bucketed by first letter for fast lookups."""

    def __init__(self) -> None:
        self.freq: Counter[str] = Counter()
        #: (first letter, length) → words: a typo within distance 2 changes the length by at most 2
        self._buckets: dict[tuple[str, int], set[str]] = defaultdict(set)

    def add_text(self, texts: Iterable[str], sign: int = 1) -> None:
        for word in {w for t in texts for w in words(t)}:
            if len(word) < 3 or word.isdigit():
                continue
            self.freq[word] += sign
            if self.freq[word] <= 0:
                del self.freq[word]
                self._buckets[(word[0], len(word))].discard(word)
            else:
                self._buckets[(word[0], len(word))].add(word)

    def to_counts(self) -> dict[str, int]:
        """The document frequencies, for saving beside the index."""
        return dict(self.freq)

    @classmethod
    def from_counts(cls, counts: dict[str, int]) -> Vocabulary:
        """The vocabulary saved with ``to_counts`` (no text is read again)."""
        vocabulary = cls()
        vocabulary.freq = Counter(counts)
        for word in counts:
            vocabulary._buckets[(word[0], len(word))].add(word)
        return vocabulary

    def correct(self, word: str) -> str | None:
        """The most frequent known word within edit distance 1 (2 for long words), or None."""
        if word in self.freq or word in STOP_WORDS or len(word) < 3 or word.isdigit():
            return None
        limit = 1 if len(word) <= 5 else 2
        best: tuple[int, float, int, str] | None = None
        # a typo rarely hits the first letter; also try a neighbour bucket for swapped first letters
        candidates = [
            known
            for first in {word[0], word[1]}
            for length in range(len(word) - limit, len(word) + limit + 1)
            for known in self._buckets.get((first, length), ())
        ]
        for known in candidates:
            d = _distance(word, known, limit)
            if d <= limit:
                # equal edit distance: the closer shape wins ("soills" → "soils", not "skills"),
                # then the more frequent word
                shape = -SequenceMatcher(None, word, known).ratio()
                key = (d, shape, -self.freq[known], known)
                if best is None or key < best:
                    best = key
        return best[3] if best else None

    def suggest(self, query: str) -> list[str]:
        """The query with unknown words corrected, when any could be; otherwise nothing."""
        tokens = words(query)
        changed = False
        out = []
        for token in tokens:
            fixed = self.correct(token)
            changed = changed or fixed is not None
            out.append(fixed or token)
        return [" ".join(out)] if changed else []
