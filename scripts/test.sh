#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests need first: the project with its test packages into
# .venv/, Debian's Chromium and ChromeDriver for the browser tests, Noto CJK fonts for PDF/page rendering, and
# poppler-utils to read the generated PDFs back, and Debian's FET (fet-cl and its example files) as the peer
# timetabler that checks our FET files, and nginx, the HTTPS proxy the deployment test puts in front of the site.
# With DATABASE_URL set the suite runs against that database (PostgreSQL), else against SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
   || ! command -v fet-cl >/dev/null 2>&1 || { ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; } || [ ! -d /usr/share/doc/fet-data ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk poppler-utils fet fet-data nginx >/dev/null
  else
    sudo apt-get update -qq >/dev/null
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk poppler-utils fet fet-data nginx >/dev/null
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e ".[test]" 2>&1 | grep -v -E "^WARNING: Location|^\s*$" || true

exec .venv/bin/python -m pytest -n 2 --dist loadfile "$@"
