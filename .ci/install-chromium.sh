#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the demo's browser test, only when missing.
# The test drives /usr/bin/chromium through /usr/bin/chromedriver; Selenium never downloads.
set -euo pipefail

if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  echo "install-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no apt-get here; the browser test will be skipped" >&2
  exit 0
fi

SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver
echo "install-chromium: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
