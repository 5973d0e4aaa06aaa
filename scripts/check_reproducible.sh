#!/usr/bin/env bash
# Reproducibility: every subcommand (each figure format and --dump kind), the gallery, the
# built-in study report and a notes report are run twice, from two different folders, under
# different locales, time zones and umasks, and with the clock years apart. The two output trees
# must be byte-identical. The commands use the same relative paths in both runs: PNGs record the
# command line as typed (minus the output path) in their Description chunk.
# Usage: scripts/check_reproducible.sh PATH/TO/transfigure
set -uo pipefail
bin=$(realpath "${1:-.build/debug/transfigure}")
root=$(cd "$(dirname "$0")/.." && pwd)
fixtures="$root/Tests/CLITests/Fixtures"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$root/scripts/check-lib.sh"

# Inputs, identical in both runs: fixtures, small JSON matrices, a table LM, a long Q/K pair
# (pooled path), and the example notes with their data and image.
prepare() { # DIR
  mkdir -p "$1/in" "$1/out/deeper"
  cp "$fixtures/bert_like.npy" "$fixtures/bert_tokens.json" "$fixtures/causal.npy" "$1/in/"
  cp -r "$root/Examples/notes" "$1/in/notes"
  printf '[[1, 0, 2, 0], [0, 1, 0, 1], [1, 1, 0, 0]]\n' >"$1/in/q.json"
  printf '[[1, 0, 0, 1], [0, 2, 1, 0], [1, 0, 1, 0], [0, 0, 1, 1]]\n' >"$1/in/k.json"
  printf '[[1, 2], [3, 4], [5, 6], [7, 8]]\n' >"$1/in/v.json"
  printf '[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]\n' >"$1/in/w.json"
  printf '{"next": {"<s>": {"I": 0.6, "The": 0.4}, "<s> I": {"am": 0.9, "</s>": 0.1}, "am": {"fine": 0.5, "</s>": 0.5}, "": {"</s>": 1.0}}}\n' >"$1/in/lm.json"
  python3 - "$1/in" <<'PY' || return 1
import sys, numpy as np
rng = np.random.default_rng(7)
np.save(f"{sys.argv[1]}/long_q.npy", rng.standard_normal((1200, 16)))
np.save(f"{sys.argv[1]}/long_k.npy", rng.standard_normal((1200, 16)))
PY
}

# Every command, run from DIR/out (outputs there and in deeper/, inputs in ../in).
run_all() { # DIR
  cd "$1/out" || return 1
  local t="$bin"
  for ext in png svg pdf; do
    "$t" heatmap ../in/bert_like.npy --layer 3 --head 1 --tokens-file ../in/bert_tokens.json -o "heatmap.$ext" --dump heatmap.json || return 1
    "$t" heatmap ../in/causal.npy --colormap rdbu --window 1:7 --annotate always -o "deeper/window.$ext" --dump deeper/window.npy || return 1
    "$t" heads ../in/bert_like.npy -o "overview.$ext" || return 1
    "$t" heads ../in/bert_like.npy --layers 3 --tokens-file ../in/bert_tokens.json -o "layer.$ext" || return 1
    "$t" lines ../in/bert_like.npy --layer 3 --head 1 --tokens-file ../in/bert_tokens.json -o "lines.$ext" || return 1
    "$t" attention --q ../in/q.json --k ../in/k.json --v ../in/v.json --mask causal -o "attention.$ext" --dump attention.json || return 1
    "$t" attention --x ../in/q.json --wq ../in/w.json --wk ../in/w.json --wv ../in/w.json --heads 2 -o "multihead.$ext" --dump multihead.json || return 1
    "$t" attention --tokens "The cat sat on the mat" --d-model 8 --mask causal --steps -o "steps.$ext" || return 1
    "$t" attention --q ../in/long_q.npy --k ../in/long_k.npy --mask causal -o "pooled.$ext" || return 1
    "$t" pe --positions 32 --d-model 16 -o "pe.$ext" --dump pe.npy || return 1
    "$t" pe --positions 24 --d-model 16 --style heatmap -o "pe-heatmap.$ext" || return 1
    "$t" pe --kind learned --seed 7 --positions 16 --d-model 8 --style heatmap -o "learned.$ext" --dump learned.json || return 1
    "$t" pe --positions 16 --d-model 8 --style similarity -o "similarity.$ext" || return 1
    for style in clock spectrum relative decay pairing; do
      "$t" rope --d-model 16 --style "$style" -o "rope-$style.$ext" || return 1
    done
    "$t" rope --x ../in/q.json --offset 3 --convention interleaved --dump rope.npy || return 1
    "$t" beam --lm ../in/lm.json --beam-width 2 -o "beam.$ext" --dump beam.json || return 1
    "$t" beam --demo --style compare -o "compare.$ext" || return 1
  done
  "$t" gallery -o gallery --long-context 2048 >/dev/null || return 1
  "$t" report -o study-report >/dev/null || return 1
  "$t" report ../in/notes/notes.md -o notes-report >/dev/null || return 1
  "$t" report ../in/notes/notes.md -o notes-svg --figure-format svg --self-contained >/dev/null || return 1
}

prepare "$work/one" && prepare "$work/two/elsewhere" || { echo "cannot prepare the inputs"; exit 1; }

# A locale whose decimal separator is a comma, compiled into the scratch folder (the `locales`
# package holds the sources), so no system locale has to be installed.
other_locale=C.UTF-8
if mkdir -p "$work/locale" && localedef -i de_DE -f UTF-8 "$work/locale/de_DE.UTF-8" >/dev/null 2>&1; then
  export LOCPATH="$work/locale"
  other_locale=de_DE.UTF-8
  check "the compiled German locale has a decimal comma" test "$(LC_ALL=de_DE.UTF-8 locale decimal_point)" = ","
fi
faketime=()
command -v faketime >/dev/null && faketime=(faketime '2031-02-03 04:05:06')

# Runs every command in a fresh shell with ENV (so a preloaded fake clock applies to it too).
run_in() { # DIR UMASK ENV...
  local dir=$1 mask=$2; shift 2
  env "$@" bash -c "umask $mask; bin='$bin'; $(declare -f run_all); run_all '$dir'"
}
first() { run_in "$work/one" 022 LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC; }
second() {
  "${faketime[@]}" bash -c "$(declare -f run_all run_in); bin='$bin'; run_in '$work/two/elsewhere' 077 \
    LANG='$other_locale' LC_ALL='$other_locale' LC_NUMERIC='$other_locale' TZ=Pacific/Kiritimati"
}
check "every command runs (folder one, C.UTF-8, UTC)" first
check "every command runs again (another folder, $other_locale, UTC+14, umask 077${faketime:+, clock in 2031})" second

files=$(cd "$work/one/out" && find . -type f | wc -l)
check "the runs wrote every file ($files)" test "$files" -ge 120
identical() { diff -r "$work/one/out" "$work/two/elsewhere/out" >"$work/diff.txt" || { head -20 "$work/diff.txt"; return 1; }; }
check "both output trees are byte-identical ($files files)" identical
check "no temporary files are left behind" no_temporaries "$work"

echo "reproducible: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
