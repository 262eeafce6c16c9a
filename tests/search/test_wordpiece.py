"""The plain-Python WordPiece tokenizer gives exactly the ids of the tokenizers library (a dev tool now)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from search.embeddings import MAX_TOKENS, MODEL_DIR
from search.wordpiece import WordPiece

tokenizers = pytest.importorskip("tokenizers")  # in the dev extra; the runtime no longer installs it

REPO = Path(__file__).resolve().parents[2]
ODD = [
    "",
    "   ",
    "Café crème à Zürich — naïve façade; Åland, Øresund, Straße, İstanbul, ǅ",
    "CO₂-neutral by 2030! (net-zero) 100% €5bn $3,5 #hashtag @user e-mail: a.b@c.de",
    "日本のムーンショット目標 and 中文 mixed with English",
    "tabs\tand\nnew\r\nlines\u00a0nbsp\u2028line-sep\u2003em\u200bzero-width\u0007bell\x0bvt\x0cff",
    "emoji 🙂👍🏽 and ﬁ ligatures, ½ fractions, ™ marks, ①②",
    "[CLS] literal [MASK] tokens [SEP] inside [UNK] text [PAD]",
    "a" * 150 + " " + "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "Ελληνικά, русский текст, עברית, العربية, हिन्दी, ภาษาไทย",
    "word " * 400,
]


def _texts() -> list[str]:
    texts = list(ODD)
    with (REPO / "data" / "missions.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            texts.extend(str(v) for v in row.values() if v)
    queries = json.loads((REPO / "data" / "peer_search_dev_queries.json").read_text(encoding="utf-8"))
    texts.extend(q["query"] for q in queries)
    return texts


def test_the_same_ids_and_masks_as_the_tokenizers_library() -> None:
    reference = tokenizers.Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
    reference.enable_truncation(MAX_TOKENS)
    reference.enable_padding(pad_id=0, pad_token="[PAD]")
    ours = WordPiece(MODEL_DIR / "tokenizer.json", max_tokens=MAX_TOKENS)
    texts = _texts()
    assert len(texts) > 300
    for text in texts:
        want = reference.encode(text)
        got = ours.encode(text)
        assert (got.ids, got.attention_mask) == (want.ids, want.attention_mask), text
    batch = texts[:40]
    want_batch = reference.encode_batch(batch)
    got_batch = ours.encode_batch(batch)
    assert [(e.ids, e.attention_mask) for e in got_batch] == [(e.ids, e.attention_mask) for e in want_batch]


def test_a_tokenizer_file_of_another_kind_is_refused(tmp_path: Path) -> None:
    spec = json.loads((MODEL_DIR / "tokenizer.json").read_text(encoding="utf-8"))
    spec["model"]["type"] = "BPE"
    other = tmp_path / "tokenizer.json"
    other.write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(ValueError, match="not a BERT WordPiece tokenizer"):
        WordPiece(other)
