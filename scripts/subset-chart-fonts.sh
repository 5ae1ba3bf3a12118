#!/bin/sh
# Cuts the chart's fonts down from the dejavu-fonts-ttf package to the scripts a chart can show (Latin,
# Greek, Cyrillic, punctuation, currency, arrows, maths, shapes). resvg shapes every text element with
# the whole font's layout tables, so the full 750 KB faces cost about 0.5 ms per label; these render
# the same pixels in a third of the time. Needs fontTools (Debian: apt-get install python3-fonttools).
set -eu
cd "$(dirname "$0")/.."
source_dir=node_modules/dejavu-fonts-ttf/ttf
target_dir=src/charts/fonts
ranges="U+0020-007E,U+00A0-024F,U+0370-03FF,U+0400-04FF,U+2000-206F,U+20A0-20CF,U+2190-21FF,U+2200-22FF,U+25A0-25FF"
for face in DejaVuSans DejaVuSans-Bold; do
  python3 -m fontTools.subset "$source_dir/$face.ttf" --unicodes="$ranges" --layout-features='*' \
    --output-file="$target_dir/$face.ttf"
done
cp node_modules/dejavu-fonts-ttf/LICENSE "$target_dir/LICENSE"
echo "wrote $target_dir"
