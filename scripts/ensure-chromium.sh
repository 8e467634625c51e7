#!/usr/bin/env bash
# The browser tests drive Debian's chromium (Playwright's own browser download cannot work
# on a machine that reaches only package registries). Installs it when missing and root.
set -euo pipefail
if command -v chromium >/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "warning: chromium is missing and only root can install it (apt-get install chromium);" \
       "the browser tests will be skipped" >&2
  exit 0
fi
echo "installing Debian's chromium for the browser tests"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
