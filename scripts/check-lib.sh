# Shared by the end-to-end scripts (sourced, after they set $work): `check NAME COMMAND...` runs
# COMMAND, counts it as passed or failed, and on failure prints NAME and the start of its output.
passed=0
failed=0

check() { # NAME COMMAND...
  local name=$1; shift
  if "$@" >"$work/last.log" 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $name"
    sed 's/^/    /' "$work/last.log" | head -20
  fi
}

# True when no temporary file or folder of an atomic write (`.NAME.tmp-PID`, `.NAME.old-PID`) is left under DIR.
no_temporaries() { # DIR
  ! find "$1" -name '.*.tmp-*' -o -name '.*.old-*' | grep -q .
}
