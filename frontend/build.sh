#!/usr/bin/env bash
# Rebuild the compiled front end in ../static from GOV.UK Frontend (npm).
# Output is committed so that Python set-up never needs Node.
#   cd frontend && ./build.sh          (or: npm run build)
set -euo pipefail
cd "$(dirname "$0")"

STATIC=../static
GOVUK=node_modules/govuk-frontend/dist/govuk

if [ ! -d node_modules/govuk-frontend ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

mkdir -p "$STATIC/css" "$STATIC/js" "$STATIC/assets/images"

# CSS: Arial, assets under /static/assets/, no source map (a dangling
# sourceMappingURL would break Django's ManifestStaticFilesStorage).
npx sass --no-source-map --style=compressed --load-path=node_modules \
  --quiet-deps scss/app.scss "$STATIC/css/app.css"

# JS: GOV.UK Frontend's ES module bundle, without its sourceMappingURL comment
# for the same reason, plus our two small loaders.
sed -e 's|//# sourceMappingURL=.*$||' "$GOVUK/govuk-frontend.min.js" > "$STATIC/js/govuk-frontend.min.js"
cp js/init.js js/govuk-supported.js js/timeout-warning.js "$STATIC/js/"

# Images: the council service's own icons. GOV.UK's crown/crest images are
# deliberately not copied.
cp assets/images/* "$STATIC/assets/images/"

echo "Built govuk-frontend $(node -p "require('govuk-frontend/package.json').version") into $STATIC"
