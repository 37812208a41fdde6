#!/usr/bin/env bash
# Refresh the template and both catalogues from the code (docs/TRANSLATING.md).
set -euo pipefail
cd "$(dirname "$0")/../../.."
pybabel -q extract -F babel.cfg -k N_ --no-location --sort-output --project=equalsay \
    -o bot/i18n/locales/equalsay.pot .
pybabel -q update -D equalsay -i bot/i18n/locales/equalsay.pot -d bot/i18n/locales \
    --no-fuzzy-matching --ignore-obsolete -w 100
