#!/usr/bin/env bash
# The Python client's tests, against the packaged server jar (target/trainyard-*.jar, built by
# `./mvnw verify` or `./mvnw package`; or TRAINYARD_JAR). Needs only python3 and java: nothing is installed.
set -euo pipefail
cd "$(dirname "$0")"
TRAINYARD_STRICT=1 PYTHONPATH=. exec python3 -m unittest discover -s tests -v "$@"
