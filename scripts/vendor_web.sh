#!/usr/bin/env bash
# Fetch the page's JavaScript libraries and the offline basemap from the npm registry and
# copy the files the page loads (with their licences) into the package, so the page never
# needs a CDN. Pinned versions keep the vendored files reproducible; bump them here.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/src/eventscope/web/static/vendor"
WORK="$ROOT/build/npm"

PACKAGES=(
  "leaflet@1.9.4"
  "leaflet.markercluster@1.5.3"
  "world-atlas@2.0.2"
  "topojson-client@3.1.0"
  "swagger-ui-dist@5.35.0"
)

rm -rf "$WORK"
mkdir -p "$WORK"
# --ignore-scripts: we only want the published files, never install hooks.
npm install --prefix "$WORK" --no-save --no-audit --no-fund --ignore-scripts "${PACKAGES[@]}" >&2
NM="$WORK/node_modules"

rm -rf "$DEST"
mkdir -p "$DEST/leaflet/images" "$DEST/leaflet.markercluster" "$DEST/world-atlas" \
  "$DEST/topojson-client" "$DEST/swagger-ui"

cp "$NM/leaflet/dist/leaflet.js" "$NM/leaflet/dist/leaflet.css" "$DEST/leaflet/"
cp "$NM/leaflet/dist/images/"*.png "$DEST/leaflet/images/"
cp "$NM/leaflet/LICENSE" "$DEST/leaflet/LICENSE"

cp "$NM/leaflet.markercluster/dist/leaflet.markercluster.js" \
  "$NM/leaflet.markercluster/dist/MarkerCluster.css" \
  "$NM/leaflet.markercluster/dist/MarkerCluster.Default.css" "$DEST/leaflet.markercluster/"
cp "$NM/leaflet.markercluster/MIT-LICENCE.txt" "$DEST/leaflet.markercluster/LICENSE"

# 50m outlines: detailed enough for regional zoom, still ~750 kB.
cp "$NM/world-atlas/countries-50m.json" "$DEST/world-atlas/"
cp "$NM/world-atlas/LICENSE" "$DEST/world-atlas/LICENSE"

cp "$NM/topojson-client/dist/topojson-client.min.js" "$DEST/topojson-client/"
cp "$NM/topojson-client/LICENSE" "$DEST/topojson-client/LICENSE"

# The API docs at /docs (FastAPI would load these from a CDN).
cp "$NM/swagger-ui-dist/swagger-ui-bundle.js" "$NM/swagger-ui-dist/swagger-ui.css" \
  "$NM/swagger-ui-dist/NOTICE" "$DEST/swagger-ui/"
cp "$NM/swagger-ui-dist/LICENSE" "$DEST/swagger-ui/LICENSE"

find "$DEST" -type f -exec chmod 644 {} +
{
  echo "Vendored by scripts/vendor_web.sh from the npm registry; do not edit by hand."
  for p in "${PACKAGES[@]}"; do echo "$p"; done
} > "$DEST/VERSIONS.txt"
echo "vendored into $DEST" >&2
