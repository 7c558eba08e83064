#!/usr/bin/env bash
# Word segmentation: accuracy on UD-VTB dev and speed, nhip beside baselines measured in the
# same run. Reads ../shared/data (not shipped with nhip). Usage: bash benches/segmenter.sh
set -euo pipefail
cd "$(dirname "$0")/.."
D=../shared/data/ud-vtb
SCORE="python3 ../shared/tools/score_ws.py $D/vi_vtb-ud-dev.conllu"
OUT=$(mktemp -d)
cargo build -q --release -p nhip
cargo build -q --release -p nhip-text --example segment_speed
NHIP=target/release/nhip

echo "== accuracy on UD-VTB dev, model trained on the train split only"
$NHIP segmenter train --gold $D/vi_vtb-ud-train.conllu --out "$OUT/train-only.bin" 2>&1 | grep trained
$NHIP tokenize --model "$OUT/train-only.bin" --input $D/vi_vtb-ud-dev.raw.txt > "$OUT/nhip.txt"
echo -n "nhip:                    "; $SCORE "$OUT/nhip.txt" | tail -1
echo -n "every syllable a word:   "; $SCORE $D/vi_vtb-ud-dev.raw.txt | tail -1
echo -n "nhip, dev typed without diacritics: "
$NHIP segmenter eval --model "$OUT/train-only.bin" --gold $D/vi_vtb-ud-dev.conllu --fold
if python3 -c "import pyvi" 2>/dev/null; then
  start=$(date +%s.%N)
  python3 benches/pyvi_segment.py < $D/vi_vtb-ud-dev.raw.txt > "$OUT/pyvi.txt"
  end=$(date +%s.%N)
  echo -n "pyvi:                    "; $SCORE "$OUT/pyvi.txt" | tail -1
  bytes=$(wc -c < $D/vi_vtb-ud-dev.raw.txt)
  python3 -c "print('pyvi speed: %.2f MiB/s (dev raw text once, %d bytes, model load included)' % ($bytes / 1048576 / ($end - $start), $bytes))"
else
  echo "pyvi: not installed (pip install pyvi) - skipped"
fi

echo "== shipped model: 5-fold cross-validation over train + dev"
$NHIP segmenter cv --gold $D/vi_vtb-ud-train.conllu --gold $D/vi_vtb-ud-dev.conllu --folds 5 | tail -1

echo "== shipped model is reproducible"
$NHIP segmenter train --gold $D/vi_vtb-ud-train.conllu --gold $D/vi_vtb-ud-dev.conllu --out "$OUT/shipped.bin" 2>&1 | grep trained
cmp "$OUT/shipped.bin" data/model/segmenter.bin && echo "identical to data/model/segmenter.bin"

echo "== speed, one thread, dev raw text repeated to 50 MiB"
target/release/examples/segment_speed $D/vi_vtb-ud-dev.raw.txt 50
rm -rf "$OUT"
