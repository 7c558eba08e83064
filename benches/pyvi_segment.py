"""Segments standard input line by line with pyvi (a baseline for benches/segmenter.sh)."""
import sys
from pyvi import ViTokenizer

for line in sys.stdin:
    print(ViTokenizer.tokenize(line.rstrip("\n")))
