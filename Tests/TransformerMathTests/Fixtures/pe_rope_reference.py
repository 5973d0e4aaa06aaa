#!/usr/bin/env python3
"""Writes pe_rope_reference.json: sinusoidal positional encodings and RoPE outputs computed with
NumPy in float64, straight from the formulas of CONTRACT.md §3 (not from the Swift code), so the
Swift implementation is checked against an independent reference. Deterministic.

    python3 Tests/TransformerMathTests/Fixtures/pe_rope_reference.py

The RoPE reference is written the way the two families of models write it:
  half        — Hugging Face / GPT-NeoX: x * cos(emb) + rotate_half(x) * sin(emb), emb = [freqs, freqs]
  interleaved — Meta Llama / RoFormer: consecutive pairs viewed as complex numbers, times e^{i·pos·θ}

Layout:
  pe:   [{positions, d_model, base, encoding: [[...]]}]
  rope: [{d, x: [[...]], cases: [{base, offset, convention, theta: [...], rotated: [[...]]}]}]
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def sinusoidal(positions, d_model, base):
    # PE[pos, 2i] = sin(pos / base^(2i/D)), PE[pos, 2i+1] = cos(pos / base^(2i/D))
    pos = np.arange(positions, dtype=np.float64)[:, None]
    two_i = np.arange(0, d_model, 2, dtype=np.float64)[None, :]
    angle = pos / np.power(np.float64(base), two_i / d_model)
    pe = np.zeros((positions, d_model), dtype=np.float64)
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle)
    return pe


def theta(d, base):
    # θ_i = base^(−2i/d), i = 0 ..< d/2
    return np.float64(base) ** (-np.arange(0, d, 2, dtype=np.float64) / d)


def rotate_half(x):
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], axis=-1)


def rope_half(x, offset, base):
    n, d = x.shape
    pos = np.arange(offset, offset + n, dtype=np.float64)
    freqs = np.outer(pos, theta(d, base))
    emb = np.concatenate([freqs, freqs], axis=-1)
    return x * np.cos(emb) + rotate_half(x) * np.sin(emb)


def rope_interleaved(x, offset, base):
    n, d = x.shape
    pos = np.arange(offset, offset + n, dtype=np.float64)
    freqs = np.outer(pos, theta(d, base))
    z = x[:, 0::2] + 1j * x[:, 1::2]
    rotated = z * np.exp(1j * freqs)
    out = np.empty_like(x)
    out[:, 0::2] = rotated.real
    out[:, 1::2] = rotated.imag
    return out


def floats(a):
    return [[float(v) for v in row] for row in a]


def main():
    pe_cases = []
    for positions, d_model, base in [(8, 4, 10000.0), (6, 16, 100.0), (5, 2, 10000.0), (4, 6, 0.5), (3, 64, 500000.0), (12, 8, 10000.0)]:
        pe_cases.append({
            "positions": positions, "d_model": d_model, "base": base,
            "encoding": floats(sinusoidal(positions, d_model, base)),
        })

    rng = np.random.default_rng(20240607)
    rope_groups = []
    for d, n in [(2, 5), (8, 4), (64, 3)]:
        x = rng.standard_normal((n, d))
        cases = []
        for base in [10000.0, 500000.0, 7.5]:
            for offset in [0, 5, 1000]:
                for convention, rope in [("half", rope_half), ("interleaved", rope_interleaved)]:
                    cases.append({
                        "base": base, "offset": offset, "convention": convention,
                        "theta": [float(t) for t in theta(d, base)],
                        "rotated": floats(rope(x, offset, base)),
                    })
        rope_groups.append({"d": d, "x": floats(x), "cases": cases})

    with open(os.path.join(HERE, "pe_rope_reference.json"), "w") as f:
        json.dump({"pe": pe_cases, "rope": rope_groups}, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
