#!/usr/bin/env bash
# Installs what the Spark job and its test need, only when missing: Java 17 from Debian
# (openjdk-17-jre-headless) and pyspark from PyPI. Safe to run again.
set -euo pipefail

if ! command -v java >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import pyspark' >/dev/null 2>&1; then
  "$PYTHON" -m pip install --quiet 'pyspark>=3.5,<5'
fi
"$PYTHON" -c 'import pyspark; print("pyspark", pyspark.__version__)'
java -version 2>&1 | head -n 1
