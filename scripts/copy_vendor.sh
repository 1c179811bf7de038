#!/usr/bin/env bash
# Copy the front-end packages npm installed into static/vendor (ignored by git)
# and build the stylesheet from GOV.UK Frontend's Sass with a plain font:
# a council service does not use the GDS Transport typeface.
set -euo pipefail
cd "$(dirname "$0")/.."
out=static/vendor
rm -rf "$out"
mkdir -p "$out/govuk/assets" "$out/socket.io" "$out/axe-core" "$out/idiomorph"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/govuk/"
cp -r node_modules/govuk-frontend/dist/govuk/assets/images "$out/govuk/assets/"
cp node_modules/govuk-frontend/dist/govuk/assets/manifest.json "$out/govuk/assets/" 2>/dev/null || true
cp node_modules/socket.io-client/dist/socket.io.min.js "$out/socket.io/"
cp node_modules/axe-core/axe.min.js "$out/axe-core/"
cp node_modules/idiomorph/dist/idiomorph.esm.js "$out/idiomorph/"
node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps \
  --load-path=node_modules static/scss/app.scss "$out/app.css"
