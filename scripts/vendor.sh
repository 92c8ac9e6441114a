#!/usr/bin/env bash
# Copies the front-end libraries installed from the npm registry (package.json) into static/vendor,
# so the installation serves every asset itself: government networks often cannot reach CDNs.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=static/vendor
rm -rf "$dest" && mkdir -p "$dest/leaflet"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx.min.js"
cp node_modules/echarts/dist/echarts.min.js "$dest/echarts.min.js"
cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images "$dest/leaflet/"
# The self-hosted base map (MAP_TILES_PMTILES): the PMTiles reader (raster tiles) and protomaps-leaflet (vector tiles).
mkdir -p "$dest/pmtiles"
cp node_modules/pmtiles/dist/pmtiles.js "$dest/pmtiles/pmtiles.js"
cp node_modules/protomaps-leaflet/dist/protomaps-leaflet.js "$dest/pmtiles/protomaps-leaflet.js"

# The packages ship their source maps apart (or not at all): drop the references, so that the production
# build (collectstatic with the manifest storage, docs/deploy.md) never looks for a .map file that is not here.
find "$dest" -type f \( -name '*.js' -o -name '*.css' \) -print0 \
  | xargs -0 sed -i -E -e 's@//[#@] sourceMappingURL=[^[:space:]]*@@' -e 's@/\*[#@] sourceMappingURL=[^*]*\*/@@'
