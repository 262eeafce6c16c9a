#!/bin/sh
# Re-vendor the front-end assets: install the pinned npm packages, copy their dist files here.
# node_modules is git-ignored; the copied files are what the package ships.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
mkdir -p yasgui axe-core swagger-ui
cp node_modules/@zazuko/yasgui/build/yasgui.min.js node_modules/@zazuko/yasgui/build/yasgui.min.css yasgui/
echo "@zazuko/yasgui is MIT licensed (Triply, Zazuko GmbH); the npm package ships no LICENSE file." > yasgui/LICENSE
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE axe-core/
# the OpenAPI explorer at /docs (FastAPI would otherwise load it from a CDN)
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
   node_modules/swagger-ui-dist/LICENSE node_modules/swagger-ui-dist/favicon-32x32.png swagger-ui/
# record what was vendored, for review
{
  echo "@zazuko/yasgui $(node -p "require('./node_modules/@zazuko/yasgui/package.json').version")"
  echo "axe-core $(node -p "require('./node_modules/axe-core/package.json').version")"
  echo "swagger-ui-dist $(node -p "require('./node_modules/swagger-ui-dist/package.json').version")"
} > VERSIONS
echo "vendored: $(cat VERSIONS | tr '\n' ' ')"
