#!/usr/bin/env bash
# README command 1: install, ingest samples/ (plus NIANBAO_CORPUS_DIR and NIANBAO_INGEST_PATHS), serve.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${NIANBAO_CORPUS_DIR:-}" ] && [ -d ../shared/corpus ]; then
  export NIANBAO_CORPUS_DIR=../shared/corpus
fi
export HF_HUB_OFFLINE=1
exec .venv/bin/nianbao serve "$@"
