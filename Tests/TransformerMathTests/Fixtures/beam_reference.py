#!/usr/bin/env python3
"""Independent reference for `transfigure beam`, written from CONTRACT.md section 3 (plain Python).

Run from anywhere:  python3 Tests/TransformerMathTests/Fixtures/beam_reference.py
It rewrites beam_reference.json next to this file: for every case, the LM table, the settings,
and what the contract says the search must produce (nodes, final hypotheses, greedy, and the
number of nodes per status). DecodingReferenceTests.swift compares the Swift search against it.

Reading of the contract used here (each point is a sentence of section 3):
- The context of a prefix (bos + generated tokens) is the longest suffix, tokens joined by
  single spaces, that is a key of "next"; "" (the empty suffix) matches any prefix.
- Greedy appends the most probable token (ties: the smaller token in UTF-8 byte order, which
  for Python str is code-point order) until eos is appended or L tokens are generated.
- Beam search: every live hypothesis is extended by every token of its distribution, log-prob
  adding ln p; all candidates are ranked by log-prob, ties to the earlier parent rank (the
  parent's place in the live beam), then to the smaller token; the best k - (finished so far)
  are kept; kept ones ending in eos are finished, the rest are live. Stop when nothing is live,
  k are finished, or L steps are done; what is live after L steps is final too.
- Score = logprob / length**a with length = generated tokens including eos.
- Final list: finished in the order they finished, then the live ones left after L steps in
  beam order, then a stable sort by score, best first.
- Node ids (an implementation choice of this project, not in the contract): root 0, then the
  candidates of each step numbered in generation order: parents in beam order, each parent's
  tokens in UTF-8 byte order.
"""

import json
import math
import os
import random


def context_of(lm, prefix):
    """The distribution for prefix (a list starting with bos): the longest matching suffix."""
    table = lm["next"]
    for start in range(len(prefix) + 1):
        key = " ".join(prefix[start:])
        if key in table:
            return table[key]
    raise KeyError("no context matches " + " ".join(prefix))


def utf8_key(token):
    return token.encode("utf-8")


def greedy(lm, max_length):
    bos, eos = lm.get("bos", "<s>"), lm.get("eos", "</s>")
    tokens, logprob = [], 0.0
    while len(tokens) < max_length:
        dist = context_of(lm, [bos] + tokens)
        # Most probable first; among equal probabilities the smaller token in byte order.
        token = sorted(dist, key=lambda t: (-dist[t], utf8_key(t)))[0]
        tokens.append(token)
        logprob = logprob + math.log(dist[token])
        if token == eos:
            break
    return {"tokens": tokens, "logprob": logprob}


def beam(lm, k, max_length, a):
    bos, eos = lm.get("bos", "<s>"), lm.get("eos", "</s>")
    nodes = [{"id": 0, "parent": None, "token": bos, "step": 0, "logprob": 0.0, "status": "root"}]
    # A hypothesis: (node id, tokens after bos, logprob).
    live = [(0, [], 0.0)]
    finished = []
    step = 0
    while live and len(finished) < k and step < max_length:
        step += 1
        candidates = []
        for rank, (parent_id, tokens, logprob) in enumerate(live):
            dist = context_of(lm, [bos] + tokens)
            for token in sorted(dist, key=utf8_key):
                node = {"id": len(nodes), "parent": parent_id, "token": token, "step": step,
                        "logprob": logprob + math.log(dist[token]), "status": "pruned"}
                nodes.append(node)
                candidates.append((node, rank, tokens + [token]))
        candidates.sort(key=lambda c: (-c[0]["logprob"], c[1], utf8_key(c[0]["token"])))
        room = k - len(finished)
        live = []
        for node, _, tokens in candidates[:room]:
            if node["token"] == eos:
                node["status"] = "finished"
                finished.append((node["id"], tokens, node["logprob"]))
            else:
                node["status"] = "kept"
                live.append((node["id"], tokens, node["logprob"]))
    final = [(h, "eos") for h in finished] + [(h, "length") for h in live]
    hypotheses = []
    for (_, tokens, logprob), ended in final:
        hypotheses.append({"tokens": tokens, "logprob": logprob,
                           "score": logprob / (len(tokens) ** a), "ended": ended})
    hypotheses.sort(key=lambda h: -h["score"])  # Python's sort is stable
    counts = {"root": 0, "kept": 0, "finished": 0, "pruned": 0}
    for node in nodes:
        counts[node["status"]] += 1
    return nodes, hypotheses, counts


# MARK: the LM tables

CONTRACT_EXAMPLE = {
    "bos": "<s>", "eos": "</s>",
    "next": {"<s>": {"I": 0.6, "The": 0.4},
             "<s> I": {"am": 0.9, "</s>": 0.1},
             "am": {"fine": 0.5, "</s>": 0.5},
             "": {"</s>": 1.0}},
}

DEMO = {
    "bos": "<s>", "eos": "</s>",
    "next": {"<s>": {"The": 0.7, "A": 0.3},
             "<s> The": {"cat": 0.35, "dog": 0.35, "bird": 0.3},
             "<s> A": {"cat": 0.9, "dog": 0.1},
             "The cat": {"ran": 0.5, "sat": 0.5},
             "The dog": {"ran": 0.5, "barked": 0.5},
             "The bird": {"sang": 0.6, "flew": 0.4},
             "A cat": {"sat": 0.9, "ran": 0.1},
             "A dog": {"barked": 1.0},
             "": {"</s>": 1.0}},
}

# Ties everywhere: equal probabilities under equal parents, parents with equal log-probs, and
# tokens whose byte order differs from a naive ordering ("Z" < "a" < "e\u0301" < "f" < "é" < "😀").
TIES = {
    "next": {"<s>": {"b": 0.25, "a": 0.25, "Z": 0.25, "😀": 0.25},
             "a": {"f": 0.5, "e\u0301": 0.5},
             "b": {"é": 0.5, "f": 0.5},
             "Z": {"x": 0.5, "</s>": 0.5},
             "😀": {"</s>": 0.5, "x": 0.5},
             "": {"x": 0.5, "</s>": 0.5}},
}

# The short ending wins with a = 0; longer ones win as the penalty grows.
LENGTH = {
    "next": {"<s>": {"</s>": 0.4, "so": 0.6},
             "so": {"</s>": 0.3, "then": 0.7},
             "then": {"</s>": 0.35, "more": 0.65},
             "more": {"</s>": 0.5, "and": 0.5},
             "and": {"</s>": 0.6, "so": 0.4}},
}

# eos is rare: most hypotheses run to the maximum length.
RARE_EOS = {
    "bos": "[BOS]", "eos": "[EOS]",
    "next": {"[BOS]": {"a": 0.5, "b": 0.3, "c": 0.2},
             "a": {"a": 0.45, "b": 0.45, "[EOS]": 0.1},
             "b": {"c": 0.6, "a": 0.39, "[EOS]": 0.01},
             "c": {"a": 0.3, "b": 0.3, "c": 0.39, "[EOS]": 0.01}},
}

# Only a few long contexts; everything else falls back to shorter suffixes and finally "".
FALLBACK = {
    "next": {"": {"the": 0.3, "a": 0.2, "cat": 0.2, "sat": 0.1, "</s>": 0.2},
             "the": {"cat": 0.6, "mat": 0.4},
             "the cat": {"sat": 0.7, "</s>": 0.3},
             "<s> the cat": {"sat": 0.2, "slept": 0.8},
             "cat sat": {"on": 0.9, "</s>": 0.1},
             "sat on": {"the": 1.0},
             "<s>": {"the": 0.5, "a": 0.5}},
}


def random_lm(seed, vocabulary, order, eos_weight):
    """A seeded table of contexts up to `order` tokens long, with probabilities summing to 1."""
    rng = random.Random(seed)
    words = vocabulary + ["</s>"]

    def distribution():
        weights = [rng.random() + 0.05 for _ in words]
        weights[-1] *= eos_weight
        total = sum(weights)
        return {w: x / total for w, x in zip(words, weights)}

    table = {"": distribution(), "<s>": distribution()}
    for w in vocabulary:
        if rng.random() < 0.8:
            table[w] = distribution()
        if order >= 2:
            for v in vocabulary:
                if rng.random() < 0.4:
                    table[v + " " + w] = distribution()
    return {"next": table}


CASES = [
    ("contract example", CONTRACT_EXAMPLE, 3, 10, 0.0),
    ("demo k3", DEMO, 3, 10, 0.0),
    ("demo k1", DEMO, 1, 10, 0.0),
    ("demo k2 short", DEMO, 2, 2, 0.0),
    ("demo k5 a0.7", DEMO, 5, 10, 0.7),
    ("ties k4", TIES, 4, 4, 0.0),
    ("ties k2", TIES, 2, 3, 0.0),
    ("length a0", LENGTH, 3, 8, 0.0),
    ("length a0.7", LENGTH, 3, 8, 0.7),
    ("length a1.5", LENGTH, 3, 8, 1.5),
    ("rare eos", RARE_EOS, 5, 8, 0.0),
    ("rare eos a1", RARE_EOS, 3, 8, 1.0),
    ("fallback", FALLBACK, 4, 7, 0.0),
    ("random bigram", random_lm(7, ["x", "y", "z", "w"], 2, 0.5), 3, 6, 0.7),
    ("random unigram", random_lm(11, ["p", "q", "r"], 1, 0.2), 5, 8, 1.5),
    ("random width1", random_lm(23, ["m", "n", "o", "k"], 2, 1.0), 1, 8, 0.0),
]


def main():
    cases = []
    for name, lm, k, max_length, a in CASES:
        nodes, hypotheses, counts = beam(lm, k, max_length, a)
        cases.append({
            "name": name,
            "lm": lm,
            "beam_width": k, "max_length": max_length, "length_penalty": a,
            "expected": {"nodes": nodes, "hypotheses": hypotheses,
                         "greedy": greedy(lm, max_length), "status_counts": counts},
        })
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "beam_reference.json"), "w", encoding="utf-8") as out:
        json.dump({"generator": "beam_reference.py", "cases": cases}, out, ensure_ascii=False, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
