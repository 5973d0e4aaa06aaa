#!/usr/bin/env bash
# Installs the Debian packages Transfigure needs, and only those that are missing,
# so a second run prints nothing. Usage: scripts/setup.sh build|test
set -euo pipefail

build_pkgs=(pkg-config libcairo2-dev libpng-dev libpango1.0-dev zlib1g-dev
            fonts-dejavu-core fonts-wqy-microhei fonts-noto-color-emoji)
test_pkgs=(pngcheck poppler-utils librsvg2-bin)

want=("${build_pkgs[@]}")
if [ "${1:-build}" = "test" ]; then want+=("${test_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# The tests check --dump output against NumPy. Debian's python3 gets python3-numpy from apt;
# another python3 on the PATH (pyenv, a venv) gets numpy from PyPI.
if [ "${1:-build}" = "test" ] && ! python3 -c "import numpy" >/dev/null 2>&1; then
  if [ "$(command -v python3)" = /usr/bin/python3 ]; then
    missing+=(python3-numpy)
  else
    echo "setup: installing numpy for $(command -v python3)"
    python3 -m pip install -q numpy
  fi
fi

[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
