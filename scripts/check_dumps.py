#!/usr/bin/env python3
"""Checks `transfigure … --dump` against independent float64 NumPy implementations of the
formulas in CONTRACT.md §3, on seeded random inputs. Usage: check_dumps.py PATH/TO/transfigure

Prints one line per failed case and, last, "dumps: N passed, M failed"."""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

BIN = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="transfigure-dumps-")
RTOL = 1e-9
passed = failed = 0


def run(*args):
    result = subprocess.run([BIN, *map(str, args)], cwd=WORK, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip())


def save(name, array):
    np.save(os.path.join(WORK, name), array)
    return name


def load_json(name):
    with open(os.path.join(WORK, name)) as f:
        return json.load(f)


def close(actual, expected):
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    if actual.shape != expected.shape:
        return False
    scale = np.maximum(np.abs(expected), 1e-300)
    exact_zero = expected == 0
    ok_rel = np.abs(actual - expected) <= RTOL * scale + 1e-300
    # Entries that are 0 by definition (masked weights) must be exactly 0.
    return bool(np.all(np.where(exact_zero, np.abs(actual) <= 1e-15, ok_rel)))


def case(name, check):
    global passed, failed
    try:
        ok = check()
    except Exception as error:  # a crash in a case is a failed case, reported with its message
        ok = False
        print(f"FAILED {name}: {error}")
    else:
        if not ok:
            print(f"FAILED {name}")
    if ok:
        passed += 1
    else:
        failed += 1


def softmax_masked(scaled, masked):
    s = np.where(masked, -np.inf, scaled)
    s = s - s.max(axis=1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=1, keepdims=True)


def reference_attention(q, k, v, causal):
    scores = q @ k.T
    scaled = scores / np.sqrt(q.shape[1])
    n, m = scores.shape
    masked = np.triu(np.ones((n, m), dtype=bool), 1) if causal else np.zeros((n, m), dtype=bool)
    weights = softmax_masked(scaled, masked)
    out = {"scores": scores, "scaled": scaled, "weights": weights}
    if v is not None:
        out["output"] = weights @ v
    return out


rng = np.random.default_rng(2024)

# One head: square and cross-attention, both masks, with and without V, scaled inputs.
for n, m, d, dv, causal, with_v, scale in [
    (4, 4, 3, 2, False, True, 1), (6, 6, 8, 8, True, True, 3), (3, 7, 5, 4, False, True, 10),
    (5, 5, 16, 3, True, False, 1), (1, 1, 1, 1, False, True, 1), (8, 12, 64, 64, True, True, 0.5),
]:
    def check(n=n, m=m, d=d, dv=dv, causal=causal, with_v=with_v, scale=scale):
        q = rng.standard_normal((n, d)) * scale
        k = rng.standard_normal((m, d)) * scale
        v = rng.standard_normal((m, dv))
        args = ["attention", "--q", save("q.npy", q), "--k", save("k.npy", k)]
        if with_v:
            args += ["--v", save("v.npy", v)]
        if causal:
            args += ["--mask", "causal"]
        run(*args, "--dump", "a.json")
        got = load_json("a.json")
        want = reference_attention(q, k, v if with_v else None, causal)
        if set(got) != set(want):
            return False
        run(*args, "--dump", "w.npy")
        return all(close(got[key], want[key]) for key in want) and close(np.load(os.path.join(WORK, "w.npy")), want["weights"])
    case(f"attention n={n} m={m} d={d} causal={causal} v={with_v}", check)

# Multi-head: X·W, contiguous head split, concat, output projection.
for n, dm, h, causal, with_wo in [(5, 8, 2, False, True), (6, 12, 3, True, True), (4, 6, 1, False, False), (7, 16, 4, True, False)]:
    def check(n=n, dm=dm, h=h, causal=causal, with_wo=with_wo):
        x = rng.standard_normal((n, dm))
        ws = {name: rng.standard_normal((dm, dm)) / np.sqrt(dm) for name in ["wq", "wk", "wv", "wo"]}
        args = ["attention", "--x", save("x.npy", x), "--heads", h, "--dump", "m.json"]
        for name in ["wq", "wk", "wv"] + (["wo"] if with_wo else []):
            args += ["--" + name, save(name + ".npy", ws[name])]
        if causal:
            args += ["--mask", "causal"]
        run(*args)
        got = load_json("m.json")
        Q, K, V = x @ ws["wq"], x @ ws["wk"], x @ ws["wv"]
        dh = dm // h
        outs = []
        for i in range(h):
            cols = slice(i * dh, (i + 1) * dh)
            ref = reference_attention(Q[:, cols], K[:, cols], V[:, cols], causal)
            head = got["heads"][i]
            if not all(close(head[key], ref[key]) for key in ["scores", "scaled", "weights"]):
                return False
            outs.append(ref["output"])
        concat = np.concatenate(outs, axis=1)
        want = concat @ ws["wo"] if with_wo else concat
        return len(got["heads"]) == h and close(got["output"], want)
    case(f"multi-head n={n} d_model={dm} h={h} causal={causal} wo={with_wo}", check)

# Sinusoidal positional encoding: PE[pos, 2i] = sin(pos / base^(2i/D)), PE[pos, 2i+1] = cos(…).
for positions, d, base in [(1, 2, 10000), (50, 16, 10000), (128, 64, 10000), (20, 6, 100), (300, 32, 500000), (7, 10, 2.5)]:
    def check(positions=positions, d=d, base=base):
        run("pe", "--positions", positions, "--d-model", d, "--base", base, "--dump", "pe.npy")
        pos = np.arange(positions)[:, None]
        i = np.arange(d // 2)[None, :]
        angle = pos / np.power(float(base), 2 * i / d)
        want = np.empty((positions, d))
        want[:, 0::2], want[:, 1::2] = np.sin(angle), np.cos(angle)
        run("pe", "--positions", positions, "--d-model", d, "--base", base, "--dump", "pe.json")
        return close(np.load(os.path.join(WORK, "pe.npy")), want) and close(load_json("pe.json")["encoding"], want)
    case(f"pe P={positions} D={d} base={base}", check)


def reference_rope(x, offset, convention, base):
    n, d = x.shape
    theta = np.power(float(base), -2 * np.arange(d // 2) / d)
    angle = (offset + np.arange(n))[:, None] * theta[None, :]
    cos, sin = np.cos(angle), np.sin(angle)
    out = x.copy()
    if convention == "interleaved":
        a, b = x[:, 0::2], x[:, 1::2]
        out[:, 0::2], out[:, 1::2] = a * cos - b * sin, a * sin + b * cos
    else:
        a, b = x[:, : d // 2], x[:, d // 2:]
        out[:, : d // 2], out[:, d // 2:] = a * cos - b * sin, a * sin + b * cos
    return out


# RoPE: row r at position offset + r, pair i rotated by pos·θ_i, θ_i = base^(−2i/d).
for n, d, offset, convention, base in [
    (5, 8, 0, "half", 10000), (5, 8, 0, "interleaved", 10000), (9, 64, 1000, "half", 500000),
    (9, 64, 1000, "interleaved", 500000), (3, 2, 7, "half", 100), (16, 32, 123456, "interleaved", 10000),
]:
    def check(n=n, d=d, offset=offset, convention=convention, base=base):
        x = rng.standard_normal((n, d))
        args = ["rope", "--x", save("x.npy", x), "--offset", offset, "--base", base]
        if convention != "half":
            args += ["--convention", convention]
        run(*args, "--dump", "r.npy")
        return close(np.load(os.path.join(WORK, "r.npy")), reference_rope(x, offset, convention, base))
    case(f"rope n={n} d={d} offset={offset} {convention} base={base}", check)

# Beam search: the CLI's dump against the plain-Python reference written from the contract.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "TransformerMathTests", "Fixtures"))
import beam_reference  # noqa: E402  (found through the path above)

for name, lm, k, max_length, a in beam_reference.CASES:
    def check(lm=lm, k=k, max_length=max_length, a=a):
        with open(os.path.join(WORK, "lm.json"), "w", encoding="utf-8") as f:
            json.dump(lm, f, ensure_ascii=False)
        run("beam", "--lm", "lm.json", "--beam-width", k, "--max-length", max_length, "--length-penalty", a, "--dump", "t.json")
        got = load_json("t.json")
        nodes, hypotheses, _ = beam_reference.beam(lm, k, max_length, a)
        greedy = beam_reference.greedy(lm, max_length)
        if len(got["nodes"]) != len(nodes) or len(got["hypotheses"]) != len(hypotheses):
            return False
        for g, w in zip(got["nodes"], nodes):
            if (g["id"], g["parent"], g["token"], g["step"], g["status"]) != (w["id"], w["parent"], w["token"], w["step"], w["status"]):
                return False
            if not close(g["logprob"], w["logprob"]):
                return False
        for g, w in zip(got["hypotheses"], hypotheses):
            if g["tokens"] != w["tokens"] or g["ended"] != w["ended"] or not close([g["logprob"], g["score"]], [w["logprob"], w["score"]]):
                return False
        return got["greedy"]["tokens"] == greedy["tokens"] and close(got["greedy"]["logprob"], greedy["logprob"])
    case(f"beam {name} k={k} L={max_length} a={a}", check)

print(f"dumps: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
