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
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
