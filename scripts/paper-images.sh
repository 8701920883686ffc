#!/usr/bin/env bash
# Remakes the pictures of the panel paper in docs/ from the tour's example history:
#   docs/paper-page-1.png ... (the first pages of the PDF paper, A4) and docs/summary.png (the HTML
#   paper in a browser, the README's screenshot).
# Needs what the paper needs (WeasyPrint or Chromium) plus pdftoppm (poppler-utils) and Chromium for
# the screenshot: sudo apt-get install weasyprint poppler-utils chromium
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in pdftoppm chromium; do
  command -v "$tool" >/dev/null || { echo "paper-images: $tool is missing (sudo apt-get install poppler-utils chromium)" >&2; exit 2; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bash scripts/setup-libgit2.sh
echo "== Building rectrack (release)"
bin="$(bash scripts/build-release.sh)"
echo "== Running the tour into $work"
RECTRACK_BIN="$bin" bash scripts/tour.sh "$work/opcc" > "$work/tour.log" 2>&1 \
  || { cat "$work/tour.log" >&2; exit 2; }
"$bin" summary --repo "$work/opcc" --meeting 2022-03-10 --agenda-item 5 \
  --author "Siân Rowlands, Policy Officer" --format pdf --output "$work/paper.pdf"
"$bin" summary --repo "$work/opcc" --meeting 2022-03-10 --agenda-item 5 \
  --author "Siân Rowlands, Policy Officer" --format html --output "$work/paper.html"
rm -f docs/paper-page-*.png
pdftoppm -r 60 -png -f 1 -l 3 "$work/paper.pdf" docs/paper-page
# pdftoppm numbers pages with as many digits as the document needs; keep the names stable.
for f in docs/paper-page-*.png; do
  n="${f##*-}"; n="${n%.png}"; mv "$f" "docs/paper-page-$((10#$n)).png" 2>/dev/null || true
done
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
  --window-size=1000,1500 --screenshot="$PWD/docs/summary.png" "file://$work/paper.html" 2>/dev/null
ls -1 docs/paper-page-*.png docs/summary.png
