// The map: an offline basemap (Natural Earth country outlines from world-atlas) or a tile
// server if the operator configured one, and the events as markers clustered by
// Leaflet.markercluster. Clusters are rings whose segments show the mix of event types.
/* global L, topojson */
import { colorOf, TYPES } from "./types.js";

const PAGE = 5000; // events per request while filling the map
export const MAX_MARKERS = 20000; // beyond this the map shows a sample and says so

export class EventMap {
  constructor(element, { tiles, onSelect, onMove }) {
    // Outlines carry no detail past city level; tiles may go to street level.
    this.map = L.map(element, {
      worldCopyJump: true, minZoom: 1, maxZoom: tiles ? 18 : 12,
    });
    this.map.setView([20, 10], 2);
    // SVG, not canvas: only unclustered markers are ever drawn (a few hundred at most),
    // and Leaflet's canvas clipped markers added in chunks at the edge of its redraw area.
    this.renderer = L.svg({ padding: 0.5 });
    this.map.createPane("ring").style.zIndex = 650; // above markers (600), below popups
    this.ringRenderer = L.svg({ pane: "ring" });
    this.markers = new Map(); // event_id -> marker
    this.ring = null;
    this.loading = null;
    this.onSelect = onSelect;
    this.cluster = L.markerClusterGroup({
      chunkedLoading: true,
      chunkInterval: 100,
      showCoverageOnHover: false,
      maxClusterRadius: 45,
      iconCreateFunction: (cluster) => clusterIcon(cluster),
    });
    this.cluster.on("click", (e) => onSelect(e.layer.options.eventId));
    this.map.addLayer(this.cluster);
    // Incidents are not clustered: a cluster would hide the size that shows their outlets.
    this.incidents = L.layerGroup().addTo(this.map);
    this.map.on("moveend", () => onMove(this.view(), this.bbox()));
    this.ready = tiles ? this.addTiles(tiles) : this.addOutlines();
  }

  addTiles(url) {
    L.tileLayer(url, { maxZoom: 19, attribution: `Tiles: ${new URL(url, location).host}` })
      .addTo(this.map);
    return Promise.resolve();
  }

  async addOutlines() {
    element(this.map).classList.add("offline");
    const response = await fetch("static/vendor/world-atlas/countries-50m.json");
    const topology = await response.json();
    const countries = topojson.feature(topology, topology.objects.countries);
    L.geoJSON(countries, {
      interactive: false,
      renderer: L.svg({ padding: 0.2 }),
      style: { color: "#9aa5ad", weight: 0.7, fillColor: "#f4f1ea", fillOpacity: 1 },
    }).addTo(this.map);
    this.map.attributionControl.addAttribution("Natural Earth via world-atlas");
  }

  view() {
    const c = this.map.getCenter();
    return `${this.map.getZoom()}/${c.lat.toFixed(3)}/${c.lng.toFixed(3)}`;
  }

  setView(view) {
    const [z, lat, lon] = view.split("/").map(Number);
    if ([z, lat, lon].every(Number.isFinite)) this.map.setView([lat, lon], z);
  }

  // minlon,minlat,maxlon,maxlat clipped to the world (Leaflet's bounds wrap past ±180).
  bbox() {
    const b = this.map.getBounds();
    const clip = (v, lim) => Math.max(-lim, Math.min(lim, v)).toFixed(3);
    return [clip(b.getWest(), 180), clip(b.getSouth(), 90), clip(b.getEast(), 180),
      clip(b.getNorth(), 90)].join(",");
  }

  // Replace the markers with the events matching `params`, page by page. Resolves to
  // {loaded, located, truncated}; a newer call cancels an older one.
  async load(params) {
    if (this.loading) this.loading.abort();
    const controller = new AbortController();
    this.loading = controller;
    this.cluster.clearLayers();
    this.incidents.clearLayers();
    this.markers.clear();
    let cursor = null;
    let loaded = 0;
    let located = 0;
    do {
      const query = new URLSearchParams(params);
      query.set("limit", String(PAGE));
      if (cursor) query.set("cursor", cursor);
      const response = await fetch(`api/events?${query}`, { signal: controller.signal });
      const body = await response.json();
      if (controller.signal.aborted) break; // a newer load owns the layers now
      if (!response.ok) throw new Error(body.error || response.statusText);
      const batch = [];
      for (const event of body.events) {
        const loc = event.location;
        if (!loc || loc.lat == null || loc.lon == null) continue;
        const marker = L.circleMarker([loc.lat, loc.lon], {
          renderer: this.renderer, radius: 6, weight: 1, color: "#fff",
          fillColor: colorOf(event.event_type), fillOpacity: 0.9,
          eventId: event.event_id, eventType: event.event_type,
        });
        marker.bindTooltip(() => tooltip(event), { direction: "top", offset: [0, -6] });
        this.markers.set(event.event_id, marker);
        batch.push(marker);
      }
      this.cluster.addLayers(batch);
      loaded += body.events.length;
      located += batch.length;
      cursor = body.next_cursor;
    } while (cursor && loaded < MAX_MARKERS && !controller.signal.aborted);
    if (this.loading === controller) this.loading = null;
    return { loaded, located, truncated: Boolean(cursor) };
  }

  // Replace the markers with one per incident matching `params` (and `min_sources`),
  // its radius growing with the square root of its outlets so that its area tracks them.
  // Resolves like `load`, with `sources` the outlets summed over the incidents loaded.
  async loadIncidents(params) {
    if (this.loading) this.loading.abort();
    const controller = new AbortController();
    this.loading = controller;
    this.cluster.clearLayers();
    this.incidents.clearLayers();
    this.markers.clear();
    let cursor = null;
    let loaded = 0;
    const placed = [];
    do {
      const query = new URLSearchParams(params);
      query.set("limit", String(PAGE));
      if (cursor) query.set("cursor", cursor);
      const response = await fetch(`api/incidents?${query}`, { signal: controller.signal });
      const body = await response.json();
      if (controller.signal.aborted) break;
      if (!response.ok) throw new Error(body.error || response.statusText);
      for (const incident of body.incidents) {
        if (incident.lat != null && incident.lon != null) placed.push(incident);
      }
      loaded += body.incidents.length;
      cursor = body.next_cursor;
    } while (cursor && loaded < MAX_MARKERS && !controller.signal.aborted);
    if (!controller.signal.aborted) {
      // the largest drawn first, so smaller incidents on top of them stay clickable
      placed.sort((a, b) => b.n_sources - a.n_sources);
      for (const incident of placed) {
        const marker = L.circleMarker([incident.lat, incident.lon], {
          renderer: this.renderer, radius: incidentRadius(incident.n_sources), weight: 1,
          color: "#fff", fillColor: colorOf(incident.event_type), fillOpacity: 0.75,
          incidentId: incident.id, eventType: incident.event_type,
        });
        marker.bindTooltip(() => incidentTooltip(incident), { direction: "top" });
        marker.on("click", () => this.onSelect(incident.id));
        this.markers.set(incident.id, marker);
        this.incidents.addLayer(marker);
      }
    }
    if (this.loading === controller) this.loading = null;
    return { loaded, located: placed.length, truncated: Boolean(cursor) };
  }

  // Resolves when the view has settled (or at once if it need not move).
  fitToMarkers() {
    if (!this.markers.size) return Promise.resolve();
    const bounds = this.incidents.getLayers().length
      ? L.latLngBounds([...this.markers.values()].map((m) => m.getLatLng()))
      : this.cluster.getBounds();
    const zoom = Math.min(8, this.map.getBoundsZoom(bounds, false, L.point(40, 40)));
    const center = bounds.getCenter();
    if (zoom === this.map.getZoom() && this.map.getCenter().distanceTo(center) < 1) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.map.once("moveend", () => resolve());
      this.map.setView(center, zoom);
    });
  }

  // A ring around the open event's place, drawn above the clusters so it shows at any
  // zoom (events often share a town's coordinates, so zooming in would not single it
  // out); `reveal` pans to it when it is off screen.
  highlight(eventId, { reveal = false } = {}) {
    if (this.ring) this.ring.remove();
    this.ring = null;
    const marker = eventId ? this.markers.get(eventId) : null;
    if (!marker) return;
    const place = marker.getLatLng();
    this.ring = L.circleMarker(place, {
      radius: Math.max(16, marker.getRadius() + 6), color: "#111", weight: 3, fill: false,
      interactive: false,
      pane: "ring", renderer: this.ringRenderer,
    }).addTo(this.map);
    if (reveal && !this.map.getBounds().contains(place)) this.map.panTo(place);
  }
}

function element(map) {
  return map.getContainer();
}

function tooltip(event) {
  const place = event.location ? event.location.name || event.location.text : "";
  const div = document.createElement("div");
  div.textContent = `${event.event_type} · ${event.date || "undated"}${place ? " · " + place : ""}`;
  return div;
}

export function incidentRadius(sources) {
  return 5 + 4 * Math.sqrt(Math.max(0, sources - 1));
}

function incidentTooltip(incident) {
  const div = document.createElement("div");
  const n = incident.n_sources;
  div.textContent = `${incident.event_type} · ${incident.date || "undated"}`
    + `${incident.location_name ? " · " + incident.location_name : ""}`
    + ` · ${n} source${n === 1 ? "" : "s"}`;
  return div;
}

// A ring split by type, the count in the middle: the mix shows before one zooms in.
function clusterIcon(cluster) {
  const counts = new Map();
  for (const m of cluster.getAllChildMarkers()) {
    const t = m.options.eventType;
    counts.set(t, (counts.get(t) || 0) + 1);
  }
  const total = cluster.getChildCount();
  let angle = 0;
  const stops = [];
  for (const t of TYPES) {
    const n = counts.get(t);
    if (!n) continue;
    const next = angle + (360 * n) / total;
    stops.push(`${colorOf(t)} ${angle.toFixed(1)}deg ${next.toFixed(1)}deg`);
    angle = next;
  }
  const size = total < 10 ? 30 : total < 100 ? 36 : total < 1000 ? 42 : 50;
  // Built as elements: the page's Content-Security-Policy refuses style attributes in
  // markup, while a style set through the DOM is allowed.
  const disc = document.createElement("div");
  disc.style.background = `conic-gradient(${stops.join(",")})`;
  const label = document.createElement("span");
  label.textContent = String(total);
  disc.append(label);
  return L.divIcon({
    html: disc,
    className: "cluster",
    iconSize: L.point(size, size),
  });
}
