"""The BERT WordPiece tokenizer of all-MiniLM-L6-v2 in plain Python, read from its tokenizer.json.

Gives the ids and attention masks that the Hugging Face ``tokenizers`` library gives for this model's
tokenizer.json (BertNormalizer with lowercasing and accent stripping, BertPreTokenizer, WordPiece,
``[CLS] … [SEP]``), without that library and the hub client it brings (~40 MB of the runtime install).
A test holds it to ``tokenizers`` on the catalogue, the dev queries and odd Unicode.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["WordPiece", "Encoding"]


@dataclass(frozen=True)
class Encoding:
    """One text's token ids and attention mask (1 for tokens, 0 for padding)."""

    ids: list[int]
    attention_mask: list[int]


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_chinese(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


@lru_cache(maxsize=65536)
def _char_class(ch: str) -> int:
    """0: drop, 1: whitespace, 2: punctuation or CJK (a token of its own), 3: part of a word."""
    cp = ord(ch)
    if ch in " \t\n\r" or unicodedata.category(ch) == "Zs":
        return 1
    if cp == 0 or cp == 0xFFFD or unicodedata.category(ch).startswith("C"):
        return 0
    if _is_punctuation(ch) or _is_chinese(cp):
        return 2
    if ch.isspace():  # other Unicode white space (Rust's char::is_whitespace splits on it)
        return 1
    return 3


class WordPiece:
    """``encode`` / ``encode_batch`` with truncation to ``max_tokens`` (specials included) and padding
    of a batch to its longest text, as ``Tokenizer.enable_truncation`` / ``enable_padding`` do."""

    def __init__(self, tokenizer_json: Path, *, max_tokens: int = 256) -> None:
        spec = json.loads(tokenizer_json.read_text(encoding="utf-8"))
        model = spec["model"]
        if model.get("type") != "WordPiece" or spec["normalizer"].get("type") != "BertNormalizer":
            raise ValueError(f"{tokenizer_json}: not a BERT WordPiece tokenizer")
        self.vocab: dict[str, int] = model["vocab"]
        self.unk = self.vocab[model["unk_token"]]
        self.prefix: str = model.get("continuing_subword_prefix", "##")
        self.max_chars: int = model.get("max_input_chars_per_word", 100)
        self.lowercase = bool(spec["normalizer"].get("lowercase", True))
        strip = spec["normalizer"].get("strip_accents")
        self.strip_accents = self.lowercase if strip is None else bool(strip)
        self.cls, self.sep = self.vocab["[CLS]"], self.vocab["[SEP]"]
        self.pad = 0
        self.max_tokens = max_tokens
        specials = sorted((t["content"] for t in spec.get("added_tokens", [])), key=len, reverse=True)
        self._specials = {t["content"]: t["id"] for t in spec.get("added_tokens", [])}
        self._split = re.compile("(" + "|".join(re.escape(s) for s in specials) + ")") if specials else None
        self._word = lru_cache(maxsize=200_000)(self._word_ids)

    # --- one text ---------------------------------------------------------------------------------
    def _normalise(self, text: str) -> str:
        if self.strip_accents:
            text = unicodedata.normalize("NFD", text)
        out = []
        for ch in text:
            kind = _char_class(ch)
            if kind == 0 or (self.strip_accents and unicodedata.category(ch) == "Mn"):
                continue
            out.append(ch)
        text = "".join(out)
        return text.lower() if self.lowercase else text

    def _words(self, text: str) -> list[str]:
        words: list[str] = []
        current: list[str] = []
        for ch in text:
            kind = _char_class(ch)
            if kind == 3:
                current.append(ch)
                continue
            if current:
                words.append("".join(current))
                current = []
            if kind == 2:
                words.append(ch)
        if current:
            words.append("".join(current))
        return words

    def _word_ids(self, word: str) -> tuple[int, ...]:
        if len(word) > self.max_chars:
            return (self.unk,)
        ids: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else self.prefix + word[start:end]
                found = self.vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return (self.unk,)
            ids.append(found)
            start = end
        return tuple(ids)

    def _ids(self, text: str) -> list[int]:
        parts = self._split.split(text) if self._split is not None else [text]
        ids: list[int] = []
        for i, part in enumerate(parts):
            if i % 2 == 1:  # a special token written in the text ([MASK] ...) is that token
                ids.append(self._specials[part])
                continue
            # the normaliser works on the whole part: it may turn one character into several
            for word in self._words(self._normalise(part)):
                ids.extend(self._word(word))
        return ids

    def encode(self, text: str) -> Encoding:
        ids = [self.cls, *self._ids(text)[: self.max_tokens - 2], self.sep]
        return Encoding(ids, [1] * len(ids))

    def encode_batch(self, texts: list[str]) -> list[Encoding]:
        encoded = [self.encode(t) for t in texts]
        longest = max((len(e.ids) for e in encoded), default=0)
        return [
            Encoding(
                e.ids + [self.pad] * (longest - len(e.ids)),
                e.attention_mask + [0] * (longest - len(e.ids)),
            )
            for e in encoded
        ]
