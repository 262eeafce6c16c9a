"""Sentence embeddings with all-MiniLM-L6-v2 (int8 ONNX shipped in search/models), run by onnxruntime."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort

from search.wordpiece import WordPiece

__all__ = ["Embedder", "MODEL_DIR", "DEFAULT_MODEL", "DIMENSIONS"]

MODEL_DIR = Path(__file__).resolve().parent / "models"
DEFAULT_MODEL = MODEL_DIR / "all-MiniLM-L6-v2-int8.onnx"
DIMENSIONS = 384
#: sentence-transformers' max_seq_length for this model
MAX_TOKENS = 256


class Embedder:
    """Text → L2-normalised 384-d vectors (mean pooling over tokens, as sentence-transformers does)."""

    def __init__(self, model_path: Path = DEFAULT_MODEL, *, threads: int = 1) -> None:
        options = ort.SessionOptions()
        # one thread: a query is a dozen tokens, and the web server's other requests need the cores
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        # plain Python WordPiece: the same ids as the tokenizers library, without its ~40 MB of installs
        self.tokenizer = WordPiece(model_path.parent / "tokenizer.json", max_tokens=MAX_TOKENS)
        self._inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: list[str], *, batch_size: int = 32) -> np.ndarray:
        """One float32 row per text, unit length; an empty list gives a (0, 384) matrix."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # sort by length so that batches pad little
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = [texts[i] for i in chunk]
            # one text (a query): encode() avoids the batch thread pool, which only adds waiting
            encodings = (
                [self.tokenizer.encode(batch[0])] if len(batch) == 1 else self.tokenizer.encode_batch(batch)
            )
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feed)[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[chunk] = pooled / np.clip(norms, 1e-12, None)
        return out

    def encode_one(self, text: str) -> np.ndarray:
        vector: np.ndarray = self.encode([text])[0]
        return vector
