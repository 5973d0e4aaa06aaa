#!/usr/bin/env python3
"""Writes the CLI test fixtures. Run from this folder: python3 make_fixtures.py (needs numpy).

bert_like.npy   float32 [6, 12, 16, 16]: softmax rows of seeded scores, shaped like a stacked
                Hugging Face BERT `output_attentions` (6 layers, 12 heads, 16 tokens).
bert_tokens.json the 16 WordPiece tokens of that input, with [CLS], [SEP], ## pieces and a repeat.
causal.npy      float64 [8, 8]: causal softmax (exact zeros above the diagonal).
nan.npy         float32 [4, 4] with a NaN at [2, 1].
truncated.npy   bert_like.npy cut in the middle of its data.
mislabelled.npy a JSON file with a .npy name.
"""
import json
import numpy as np

rng = np.random.default_rng(7)
scores = rng.standard_normal((6, 12, 16, 16)) * 2.0
scores -= scores.max(axis=-1, keepdims=True)
attn = np.exp(scores)
attn /= attn.sum(axis=-1, keepdims=True)
np.save("bert_like.npy", attn.astype(np.float32))

tokens = ["[CLS]", "the", "animal", "didn", "'", "t", "cross", "the", "street",
          "because", "it", "was", "too", "tire", "##d", "[SEP]"]
with open("bert_tokens.json", "w") as f:
    json.dump(tokens, f, ensure_ascii=False)

n = 8
s = rng.standard_normal((n, n))
s[np.triu_indices(n, 1)] = -np.inf
s -= s.max(axis=1, keepdims=True)
c = np.exp(s)
c /= c.sum(axis=1, keepdims=True)
np.save("causal.npy", c)

bad = np.full((4, 4), 0.25, dtype=np.float32)
bad[2, 1] = np.nan
np.save("nan.npy", bad)

raw = open("bert_like.npy", "rb").read()
open("truncated.npy", "wb").write(raw[: len(raw) // 2])
open("mislabelled.npy", "w").write("[[0.5, 0.5], [0.25, 0.75]]\n")

# Added for the CLI error catalogue and the 3-D / .npz cases.
# heads.npy     float64 [4, 8, 8]: softmax rows, shaped [head, query, key].
# several.npz   two members, `first` [3, 3] and `second` [2, 2], stored, with a fixed
#               zip timestamp so the file is byte-identical on every run.
import io
import zipfile

rng2 = np.random.default_rng(11)
h = rng2.standard_normal((4, 8, 8))
h -= h.max(axis=-1, keepdims=True)
h = np.exp(h)
h /= h.sum(axis=-1, keepdims=True)
np.save("heads.npy", h)

def npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()

with zipfile.ZipFile("several.npz", "w", compression=zipfile.ZIP_STORED) as z:
    for name, array in [("first", np.full((3, 3), 1 / 3)), ("second", np.full((2, 2), 0.5))]:
        z.writestr(zipfile.ZipInfo(name + ".npy", date_time=(2024, 1, 1, 0, 0, 0)), npy_bytes(array))
