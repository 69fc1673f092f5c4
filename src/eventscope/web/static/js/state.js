// The page's state lives in the URL hash so that a view can be shared by its link. Filter
// keys use the API's own parameter names, so the hash maps straight onto queries.
import { TYPES } from "./types.js";

// sector and near have no control of their own: they come with a watchlist's filters.
const TEXT_KEYS = ["actor", "country", "sector", "near", "q", "min_confidence", "hedged",
  "negated", "since", "until"];

export function emptyState() {
  return {
    types: [], actor: "", country: "", sector: "", near: "", q: "", min_confidence: "", hedged: "", negated: "",
    since: "", until: "", inview: false, bbox: "", event: "", map: "",
    view: "", incident: "", // view "incidents" shows incidents; "" is events
  };
}

export function readHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const state = emptyState();
  state.types = params.getAll("type").flatMap((t) => t.split(","))
    .map((t) => t.trim().toUpperCase()).filter((t) => TYPES.includes(t));
  for (const key of TEXT_KEYS) state[key] = params.get(key) || "";
  state.inview = params.get("inview") === "1";
  state.event = params.get("event") || "";
  state.map = params.get("map") || "";
  state.view = params.get("view") === "incidents" ? "incidents" : "";
  state.incident = state.view ? params.get("incident") || "" : "";
  return state;
}

export function writeHash(state) {
  const params = new URLSearchParams();
  if (state.types.length) params.set("type", state.types.join(","));
  for (const key of TEXT_KEYS) if (state[key]) params.set(key, state[key]);
  if (state.inview) params.set("inview", "1");
  if (state.event) params.set("event", state.event);
  if (state.view) params.set("view", state.view);
  if (state.view && state.incident) params.set("incident", state.incident);
  if (state.map) params.set("map", state.map);
  return "#" + params.toString();
}

// Query parameters for the API. `omit` drops a facet so that its own control can show
// the counts it would choose between (the legend ignores the type filter, the timeline
// ignores the time window).
export function apiParams(state, { omitTypes = false, omitTime = false } = {}) {
  const params = new URLSearchParams();
  if (!omitTypes) for (const t of state.types) params.append("type", t);
  for (const key of TEXT_KEYS) {
    if (omitTime && (key === "since" || key === "until")) continue;
    if (state[key]) params.set(key, state[key]);
  }
  if (state.inview && state.bbox) params.set("bbox", state.bbox);
  return params;
}

// Filter fields only: a change here means the data must be fetched again.
export function filterKey(state) {
  return `${state.view}|${apiParams(state)}`;
}

export async function getJSON(url, signal) {
  const response = await fetch(url, { signal });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
  return body;
}
