#!/usr/bin/env bash
# End-to-end checks on real output files with independent tools: pngcheck validates PNGs,
# rsvg-convert renders the SVGs, pdftoppm renders the PDFs, and reruns must be byte-identical.
# Usage: scripts/acceptance.sh PATH/TO/transfigure
set -uo pipefail
bin=$(realpath "${1:-.build/debug/transfigure}")
root=$(cd "$(dirname "$0")/.." && pwd)
fixtures="$root/Tests/CLITests/Fixtures"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

source "$root/scripts/check-lib.sh"

render_all() { # OUTDIR
  mkdir -p "$1"
  for ext in png svg pdf; do
    "$bin" heatmap "$fixtures/bert_like.npy" --layer 3 --head 1 --tokens-file "$fixtures/bert_tokens.json" \
      -o "$1/bert.$ext" || return 1
  done
  "$bin" heatmap "$fixtures/causal.npy" --scale 2 -o "$1/causal.png" || return 1
  for ext in png svg pdf; do
    "$bin" heads "$fixtures/bert_like.npy" -o "$1/overview.$ext" || return 1
    "$bin" heads "$fixtures/bert_like.npy" --layers 3 --tokens-file "$fixtures/bert_tokens.json" -o "$1/layer.$ext" || return 1
    "$bin" lines "$fixtures/bert_like.npy" --layer 3 --heads 0-2 --tokens-file "$fixtures/bert_tokens.json" -o "$1/lines.$ext" || return 1
    "$bin" attention --tokens "The cat sat on the mat" --d-model 8 --mask causal --steps -o "$1/steps.$ext" || return 1
    "$bin" beam --demo -o "$1/beam.$ext" || return 1
    "$bin" beam --demo --style compare --beam-width 2 -o "$1/compare.$ext" || return 1
  done
}

check "renders PNG, SVG and PDF" render_all "$work/a"
check "renders again" render_all "$work/b"
for name in bert overview layer lines steps beam compare; do
  for ext in png svg pdf; do
    check "byte-identical rerun: $name.$ext" cmp "$work/a/$name.$ext" "$work/b/$name.$ext"
  done
  check "pngcheck accepts $name.png" pngcheck -q "$work/a/$name.png"
  check "rsvg-convert renders $name.svg" rsvg-convert -o "$work/$name-svg.png" "$work/a/$name.svg"
  check "pdftoppm renders $name.pdf" pdftoppm -png -r 50 -singlefile "$work/a/$name.pdf" "$work/$name-pdf"
done
check "pngcheck accepts causal.png" pngcheck -q "$work/a/causal.png"
check "byte-identical rerun: causal.png" cmp "$work/a/causal.png" "$work/b/causal.png"
gallery() {
  "$bin" gallery -o "$work/gallery" --long-context 2048 >/dev/null || return 1
  [ "$(ls "$work/gallery" | wc -l)" -ge 11 ] && pngcheck -q "$work"/gallery/*.png
}
check "gallery writes every figure kind" gallery
check "SVG keeps labels as vector glyphs" grep -q "<symbol" "$work/a/bert.svg"

# Bad input: one error line, non-zero exit, no file written, an existing file untouched.
bad_input() { # FILE EXPECTED-FRAGMENT [ARGS...]
  local file=$1 fragment=$2; shift 2
  rm -f "$work/out.png"
  cp "$work/a/causal.png" "$work/keep.png"
  if "$bin" heatmap "$fixtures/$file" "$@" -o "$work/out.png" 2>"$work/err"; then return 1; fi
  [ "$(wc -l <"$work/err")" -eq 1 ] || return 1
  grep -q "^error: .*$fragment" "$work/err" || { cat "$work/err"; return 1; }
  [ ! -e "$work/out.png" ] || return 1
  if "$bin" heatmap "$fixtures/$file" "$@" -o "$work/keep.png" 2>/dev/null; then return 1; fi
  cmp -s "$work/keep.png" "$work/a/causal.png"
}
check "truncated file" bad_input truncated.npy "truncated.npy" --layer 0 --head 0
check "mislabelled file" bad_input mislabelled.npy "mislabelled.npy"
check "NaN value" bad_input nan.npy "\[2, 1\] is NaN"
check "4-D without --layer/--head" bad_input bert_like.npy "pass --layer"
check "token count mismatch" bad_input causal.npy "tokens" --tokens "a b c"
check "unknown colormap" bad_input causal.npy "colormap" --colormap jet

report() {
  (cd "$work" && "$bin" report) || return 1
  for f in index.html index.md figures/attention-weights.png; do [ -s "$work/Output/study-report/$f" ] || return 1; done
  ! grep -Eq '(src|href)="(https?:)?//|<script|<link' "$work/Output/study-report/index.html"
}
check "report writes index.html, index.md and figures" report

echo "acceptance: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
