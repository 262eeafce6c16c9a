"""Query expansion through the SKOS thesaurus: a query naming a concept also searches its other labels."""

from __future__ import annotations

from dataclasses import dataclass, field

from search.text import STOP_WORDS, words

__all__ = ["Thesaurus", "Expansion", "MAX_ADDED_WORDS"]

#: most labels added for one matched concept: beyond this the words drift from the user's meaning
MAX_ADDED_PER_CONCEPT = 8
#: most words added to one query, whatever it names: each added word is one more OR clause over
#: every text field, and ten of them made the lexical query match most documents (issue 15); the
#: concepts themselves are matched as terms (``Expansion.concepts``), so few words are needed
MAX_ADDED_WORDS = 6


@dataclass
class Expansion:
    """Extra words for the lexical query, and what the response discloses about them."""

    words: list[str] = field(default_factory=list)
    #: the IRIs of the concepts the query names, matched against the documents' concepts
    concepts: list[str] = field(default_factory=list)
    #: matched phrase → {"concept", "label", "added"}
    disclosed: dict[str, dict[str, object]] = field(default_factory=dict)


class Thesaurus:
    """Labels (prefLabel and altLabels) of concepts, looked up by their word sequence."""

    def __init__(self, concepts: dict[str, tuple[str, list[str]]]) -> None:
        self.concepts = concepts
        self._by_phrase: dict[tuple[str, ...], list[str]] = {}
        for iri, (pref, alts) in sorted(concepts.items()):
            for text in (pref, *alts):
                key = tuple(words(text))
                # a one-letter or stop-word label ("AI" is fine, "y" is not) would match at random
                if not key or (len(key) == 1 and (len(key[0]) < 2 or key[0] in STOP_WORDS)):
                    continue
                self._by_phrase.setdefault(key, [])
                if iri not in self._by_phrase[key]:
                    self._by_phrase[key].append(iri)
        self._longest = max((len(k) for k in self._by_phrase), default=0)

    def expand(self, query: str) -> Expansion:
        """Find concept labels in ``query`` (longest match first) and add the concepts' other labels."""
        tokens = words(query)
        out = Expansion()
        own = set(tokens)
        i = 0
        while i < len(tokens):
            for n in range(min(self._longest, len(tokens) - i), 0, -1):
                key = tuple(tokens[i : i + n])
                if key in self._by_phrase:
                    phrase = " ".join(key)
                    for iri in self._by_phrase[key]:
                        pref, alts = self.concepts[iri]
                        added: list[str] = []
                        seen = {phrase}
                        for text in (pref, *alts):
                            norm = " ".join(words(text))
                            if norm in seen:
                                continue
                            seen.add(norm)
                            added.append(text)
                            if len(added) >= MAX_ADDED_PER_CONCEPT:
                                break
                        searched: list[str] = []
                        for text in added:
                            new = [
                                w
                                for w in dict.fromkeys(words(text))
                                if w not in own and w not in STOP_WORDS and w not in out.words
                            ]
                            if len(out.words) + len(new) > MAX_ADDED_WORDS:
                                continue  # a label only whole: the response lists what was searched
                            out.words.extend(new)
                            searched.append(text)
                        if iri not in out.concepts:
                            out.concepts.append(iri)
                        out.disclosed[phrase] = {"concept": iri, "label": pref, "added": searched}
                    i += n
                    break
            else:
                i += 1
        return out
