#!/usr/bin/env bash
# Debian packages the tests drive for real: Chromium (in British English) for browser tests,
# LibreOffice Writer to prove the Word records open (and poppler's pdftotext to read them back), Redis and nginx. Installed only when missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# British English for Chromium's own text, so a date field reads dd/mm/yyyy as the service's users see it.
[ -f /usr/lib/chromium/locales/en-GB.pak ] || need+=(chromium-l10n)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
# pdftotext, to read back the words of a letter LibreOffice turned into a PDF.
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# A Redis the tests can kill and start again (the message queue failing), and nginx in front of
# two workers as docs/deployment.md configures it. The tests run their own; none is enabled here.
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
