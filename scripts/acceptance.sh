#!/usr/bin/env bash
# End-to-end checks on real output files with independent tools: pngcheck validates PNGs,
# rsvg-convert renders the SVGs, pdftoppm renders the PDFs, and reruns must be byte-identical.
# Usage: scripts/acceptance.sh PATH/TO/transfigure
set -uo pipefail
bin=$(realpath "${1:-.build/debug/transfigure}")
root=$(cd "$(dirname "$0")/.." && pwd)
fixtures="$root/Tests/CLITests/Fixtures"
work=$(mktemp -d)
trap 'umount "$work/full" "$work/ro" 2>/dev/null; rm -rf "$work"' EXIT

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

# Outputs that cannot be written: one error line in the system's words, exit status 1, no file
# and no temporary file left, existing outputs unchanged. `ulimit -f` (a file-size limit) works
# for every user; a full disk and a read-only folder need a small tmpfs, which root can mount.
fails_with() { # FRAGMENT COMMAND... (run in a subshell, so a ulimit stays there)
  local fragment=$1; shift
  if "$@" >/dev/null 2>"$work/err"; then echo "succeeded"; return 1; fi
  [ "$(wc -l <"$work/err")" -eq 1 ] || { cat "$work/err"; return 1; }
  grep -q "^error: .*$fragment" "$work/err" || { cat "$work/err"; return 1; }
}
big_heatmap() { "$bin" heatmap "$fixtures/bert_like.npy" --layer 3 --head 1 --scale 4 "$@"; }
mkdir -p "$work/limited"
cp "$work/a/causal.png" "$work/limited/keep.png"
check "past ulimit -f a figure is 'File too large'" \
  bash -c "ulimit -f 16; $(declare -f fails_with big_heatmap); bin='$bin' fixtures='$fixtures' work='$work' fails_with 'File too large' big_heatmap -o '$work/limited/keep.png'"
check "... and the existing file is untouched" cmp "$work/limited/keep.png" "$work/a/causal.png"
check "... and no temporary file is left" no_temporaries "$work/limited"

notes="$root/Examples/notes/notes.md"
check "a notes report is written" "$bin" report "$notes" -o "$work/limited/report"
cp -r "$work/limited/report" "$work/report-before"
check "past ulimit -f a report is 'File too large'" \
  bash -c "ulimit -f 16; $(declare -f fails_with); work='$work' fails_with 'File too large' '$bin' report '$notes' -o '$work/limited/report'"
check "... and the previous report is intact" diff -r "$work/report-before" "$work/limited/report"
check "... and no temporary folder is left" no_temporaries "$work/limited"
cp -r "$root/Examples/notes" "$work/broken-notes"
printf '\n```transfigure\nfigure: heatmap\nfile: missing.npy\n```\n' >>"$work/broken-notes/notes.md"
check "a broken figure block stops the report" fails_with "notes.md:[0-9]*: figure block" "$bin" report "$work/broken-notes/notes.md" -o "$work/limited/report"
check "... and the previous report is intact" diff -r "$work/report-before" "$work/limited/report"

if [ "$(id -u)" -eq 0 ] && mkdir -p "$work/full" "$work/ro" && mount -t tmpfs -o size=64k tmpfs "$work/full" 2>/dev/null; then
  mount -t tmpfs -o ro,size=64k tmpfs "$work/ro"
  printf 'precious bytes\n' >"$work/full/keep.png"
  check "on a full disk a figure is 'No space left on device'" fails_with "No space left on device" big_heatmap -o "$work/full/keep.png"
  check "... and the existing file is untouched" test "$(cat "$work/full/keep.png")" = "precious bytes"
  check "... and no temporary file is left" no_temporaries "$work/full"
  check "on a full disk a report is 'No space left on device'" fails_with "No space left on device" "$bin" report "$notes" -o "$work/full/report"
  check "... and nothing is left" test ! -e "$work/full/report" -a "$(ls -A "$work/full")" = keep.png
  check "in a read-only folder a figure is 'Read-only file system'" fails_with "Read-only file system" big_heatmap -o "$work/ro/x.png"
  check "in a read-only folder a dump is 'Read-only file system'" fails_with "Read-only file system" "$bin" pe --positions 4 --d-model 4 --dump "$work/ro/pe.npy"
  check "in a read-only folder a report is 'Read-only file system'" fails_with "Read-only file system" "$bin" report "$notes" -o "$work/ro/report"
  umount "$work/full" "$work/ro"
elif [ "$(id -u)" -ne 0 ]; then
  mkdir -p "$work/ro" && chmod 555 "$work/ro"
  check "in a read-only folder a figure is 'Permission denied'" fails_with "Permission denied" big_heatmap -o "$work/ro/x.png"
  check "in a read-only folder a report is 'Permission denied'" fails_with "Permission denied" "$bin" report "$notes" -o "$work/ro/report"
  chmod 755 "$work/ro"
else
  echo "note: root without mount rights here; the full-disk and read-only folder checks were skipped (ulimit -f checks ran)"
fi

# Limits on input size, checked before anything is parsed.
truncate -s 300M "$work/huge.json"
check "a 300 MB JSON input is refused unread" fails_with "huge.json: is 314572800 bytes; text inputs" "$bin" heatmap "$work/huge.json" -o "$work/huge.png"
truncate -s 5M "$work/huge.md"
check "5 MB of notes are refused unread" fails_with "huge.md: the notes are 5242880 bytes, more than the 4000000" "$bin" report "$work/huge.md" -o "$work/huge-report"

echo "acceptance: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
