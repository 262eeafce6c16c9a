#!/bin/sh
# Re-vendor the front-end assets: install the pinned npm packages, copy their dist files here.
# node_modules is git-ignored; the copied files are what the package ships.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
mkdir -p yasgui axe-core
cp node_modules/@zazuko/yasgui/build/yasgui.min.js node_modules/@zazuko/yasgui/build/yasgui.min.css yasgui/
echo "@zazuko/yasgui is MIT licensed (Triply, Zazuko GmbH); the npm package ships no LICENSE file." > yasgui/LICENSE
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE axe-core/
# record what was vendored, for review
{
  echo "@zazuko/yasgui $(node -p "require('./node_modules/@zazuko/yasgui/package.json').version")"
  echo "axe-core $(node -p "require('./node_modules/axe-core/package.json').version")"
} > VERSIONS
echo "vendored: $(cat VERSIONS | tr '\n' ' ')"
