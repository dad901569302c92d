#!/usr/bin/env bash
# The README's test command: sets up a Debian 12 machine, then builds and passes everything
# CI checks: the dev workflow (Debug: tests, examples, package tests, API docs), the asan
# workflow (the same tests under ASan+UBSan), the format check and the layering check.
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "setup"
bash scripts/setup-debian.sh

step "format"
scripts/check-format

step "layering"
scripts/check-layering

step "dev workflow: build, tests, examples, packaging, docs"
cmake --workflow --preset dev

step "asan workflow: tests under AddressSanitizer and UndefinedBehaviorSanitizer"
cmake --workflow --preset asan

step "all checks passed"
