#!/usr/bin/env bash
# The browser test drives Debian's Chromium through Debian's ChromeDriver (no browser download).
# Installs both when missing; needs root (or passwordless sudo) and Debian's package registry.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    exit 0
fi
echo "Installing Debian's chromium and chromium-driver for the browser test..."
run_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
run_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive run_root apt-get install -y -qq chromium chromium-driver >/dev/null
