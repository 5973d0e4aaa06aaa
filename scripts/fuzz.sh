#!/usr/bin/env bash
# make fuzz: builds the fuzz targets of Fuzz/ with coverage and AddressSanitizer into .build/fuzz
# (never into the normal build) and runs each under libFuzzer for FUZZ_SECONDS (default 60),
# starting from its committed seed corpus in Fuzz/Corpus/TARGET and its dictionary in
# Fuzz/Dictionaries. New inputs go to .build/fuzz/corpus/TARGET; a crash, a sanitizer report,
# a broken oracle or an input slower than 10 s is saved to .build/fuzz/findings/ and fails the run.
#
#   FUZZ_TARGETS="npy tex" FUZZ_SECONDS=10 make fuzz
#   .build/fuzz/release/transfigure-fuzz npy .build/fuzz/findings/npy-crash-…   # replay one finding
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-npy npz json csv tokens lm notes tex}
swift_bin=$(dirname "$(readlink -f "$(command -v swift)")")
archive=$(ls "$swift_bin"/../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-"$(uname -m)".a 2>/dev/null | head -1)
if [ -z "$archive" ]; then
  echo "error: no libclang_rt.fuzzer_no_main archive next to $swift_bin; the Swift toolchain's clang runtime is needed" >&2
  exit 1
fi

coverage=edge,trace-cmp,inline-8bit-counters,pc-table
set -e
swift build -c release --package-path Fuzz --scratch-path .build/fuzz \
  -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=$coverage \
  -Xcc -fsanitize=address -Xcc -fsanitize-coverage=$coverage \
  -Xlinker "$archive" -Xlinker -lstdc++
set +e
binary=.build/fuzz/release/transfigure-fuzz

export SWIFT_BACKTRACE=enable=no                     # else a crash leaves no artifact
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1
export TRANSFIGURE_TEMPLATES="$PWD/Templates"
mkdir -p .build/fuzz/findings .build/fuzz/logs

status=0
summary=()
for target in $targets; do
  [ -d "Fuzz/Corpus/$target" ] || { echo "error: no seed corpus Fuzz/Corpus/$target" >&2; exit 1; }
  work=.build/fuzz/corpus/$target
  mkdir -p "$work"
  dict=()
  [ -f "Fuzz/Dictionaries/$target.dict" ] && dict=(-dict="Fuzz/Dictionaries/$target.dict")
  log=.build/fuzz/logs/$target.log
  echo "fuzz: $target for ${seconds}s"
  "$binary" "$target" "$work" "Fuzz/Corpus/$target" "${dict[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix=".build/fuzz/findings/$target-" >"$log" 2>&1
  code=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  corpus=$(ls "$work" | wc -l)
  if [ "$code" -eq 0 ]; then
    result="no finding"
  else
    result="FINDING (exit $code): $(grep -m1 -E 'ERROR:|Fatal error|fatal error|deadly signal|timeout|out-of-memory' "$log" | cut -c1-150)"
    status=1
    tail -40 "$log"
  fi
  summary+=("$(printf '%-8s %8s executions  corpus %5s  %s' "$target" "${runs:-?}" "$corpus" "$result")")
done

echo
echo "fuzz summary (${seconds}s per target; logs in .build/fuzz/logs, findings in .build/fuzz/findings):"
printf '%s\n' "${summary[@]}"
exit $status
