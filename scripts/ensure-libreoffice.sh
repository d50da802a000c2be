#!/usr/bin/env bash
# The document tests open each drafted DOCX (Writer) and the ranking workbook (Calc) with
# LibreOffice, read the PDFs back with poppler's pdftotext and list their fonts. The documents
# are set in Times New Roman, which LibreOffice prints in the metric-compatible Liberation Serif:
# Debian's fonts-liberation2 (2.x) has every Vietnamese letter, the older fonts-liberation (1.07)
# does not (ế, ở, ụ would come from another font). Installs Debian's packages when missing;
# needs root (or passwordless sudo) and Debian's package registry.
set -euo pipefail
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
if command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 &&
    { installed libreoffice-writer-nogui || installed libreoffice-writer; } &&
    { installed libreoffice-calc-nogui || installed libreoffice-calc; } &&
    installed fonts-liberation2; then
    exit 0
fi
echo "Installing Debian's LibreOffice Writer and Calc (no GUI), poppler-utils and Liberation Serif 2 for the document tests..."
run_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
run_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive run_root apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-liberation2 >/dev/null
