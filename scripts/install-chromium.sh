#!/bin/sh
# Installs Debian's Chromium for `bm-harness validate --login browser` and its CI test
# (harness/validator/browser-mode.test.ts). playwright-core drives it at /usr/bin/chromium;
# Playwright's own browser download is not used, so nothing but apt is contacted.
set -eu

CHROMIUM=${BM_HARNESS_CHROMIUM:-/usr/bin/chromium}

if [ -x "$CHROMIUM" ]; then
  echo "install-chromium: $CHROMIUM is already installed"
  exit 0
fi

if [ "$(id -u)" != "0" ]; then
  cat >&2 <<MSG
install-chromium: $CHROMIUM is missing and this script is not running as root.
Install it with one of:
  sudo apt-get update && sudo apt-get install -y chromium      (Debian/Ubuntu)
  sudo $0
or point the validator at another Chromium/Chrome: bm-harness validate --login browser --chromium PATH
MSG
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no apt-get here; install Chromium with your package manager so that $CHROMIUM exists" >&2
  exit 1
fi

echo "install-chromium: installing chromium with apt-get (a few minutes)…"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium
if [ ! -x "$CHROMIUM" ]; then
  echo "install-chromium: apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "install-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
