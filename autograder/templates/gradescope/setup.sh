#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (the zip is unpacked into
# /autograder/source). It installs torch first (pinned as in .ci/setup; a CPU build), then the course's
# dependencies as pyproject.toml pins them, then this bundle's `autograder` package (editable, so that it
# finds the instructor notebooks in source/ next to it).
#   AUTOGRADER_SETUP_DRY_RUN=1  print the commands instead of running them
#   AUTOGRADER_PYTHON           the Python to install into (default python3)
#   TORCH_INDEX_URL             extra index for torch (default the CPU wheels; empty: PyPI only)
# Written by `autograder export gradescope` from autograder/templates/gradescope/setup.sh: the words in
# double underscores are filled in then.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${AUTOGRADER_PYTHON:-python3}"
TORCH_INDEX_URL="${TORCH_INDEX_URL-__TORCH_INDEX__}"
export PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1

run() {
  if [ -n "${AUTOGRADER_SETUP_DRY_RUN:-}" ]; then
    printf '+'; printf ' %q' "$@"; printf '\n'
  else
    "$@"
  fi
}

if ! command -v "$PY" >/dev/null 2>&1 || ! "$PY" -m pip --version >/dev/null 2>&1; then
  run apt-get update
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-pip
fi
if [ -z "${AUTOGRADER_SETUP_DRY_RUN:-}" ]; then
  "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || {
    echo "setup.sh: the course needs Python 3.10 or newer; choose a newer Ubuntu base image in Gradescope" >&2
    exit 1
  }
fi

run "$PY" -m pip install ${TORCH_INDEX_URL:+--extra-index-url "$TORCH_INDEX_URL"} "__TORCH_PIN__"
run "$PY" -m pip install __DEPENDENCIES__
run "$PY" -m pip install --no-deps -e "$HERE"
run "$PY" -c "import torch, autograder.grading; print('autograder ready: torch', torch.__version__)"
# the instructor's reference runs, computed once in the image (keyed on torch's and Python's versions, so a
# cache made elsewhere would not be used); without it each submission computes them itself
(cd "$HERE" && run "$PY" -m autograder cache warm --course "$HERE") || echo "setup.sh: reference runs not cached" >&2
