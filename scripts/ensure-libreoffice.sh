#!/usr/bin/env bash
# The document tests open each drafted DOCX with LibreOffice (DOCX -> PDF) and read the PDF's
# text with poppler's pdftotext. Installs Debian's packages when missing; needs root (or
# passwordless sudo) and Debian's package registry.
set -euo pipefail
if command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    exit 0
fi
echo "Installing Debian's libreoffice-writer-nogui and poppler-utils for the document tests..."
run_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
run_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive run_root apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui poppler-utils >/dev/null
