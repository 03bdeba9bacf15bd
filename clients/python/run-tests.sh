#!/usr/bin/env bash
# The Python client's tests, against the packaged server jar (target/trainyard-*.jar, built by
# `./mvnw verify` or `./mvnw package`; or TRAINYARD_JAR). Needs only python3 and java: nothing is installed.
set -euo pipefail
cd "$(dirname "$0")"
# The older tests count points and requests exactly, so by default they run without the process's
# system/... samples and without the console capture; test_console.py turns both on explicitly.
export TRAINYARD_SYSTEM_INTERVAL="${TRAINYARD_SYSTEM_INTERVAL:-0}" TRAINYARD_CONSOLE="${TRAINYARD_CONSOLE:-off}"
TRAINYARD_STRICT=1 PYTHONPATH=. exec python3 -m unittest discover -s tests -v "$@"
