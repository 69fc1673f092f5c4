// Wires the page together: the URL hash is the single source of truth; every control
// edits the state, writes the hash, and the views redraw from it.
import { Detail } from "./detail.js";
import { Legend } from "./legend.js";
import { EventList } from "./list.js";
import { EventMap, MAX_MARKERS } from "./map.js";
import { apiParams, filterKey, getJSON, readHash, writeHash } from "./state.js";
import { Timeline } from "./timeline.js";
import { Watchlists } from "./watchlists.js";

const $ = (selector) => document.querySelector(selector);
const form = $("#filters");
const FIELDS = ["actor", "country", "q", "min_confidence", "hedged", "negated"];
const REFRESH_MS = 30000; // how often to look for events `eventscope watch` added
let state = readHash(location.hash);
let loadedKey = null;
let fitted = Boolean(state.map);
let generation = 0;

function fmt(n) {
  return n.toLocaleString("en");
}

function setStatus(text, error = false) {
  const status = $("#status");
  status.textContent = text;
  status.classList.toggle("error", error);
}

function syncControls() {
  for (const name of FIELDS) form.elements[name].value = state[name];
  form.elements.min_confidence.value = state.min_confidence || "0"; // "" would mean 0.5
  form.elements.inview.checked = state.inview;
  form.elements.view.value = state.view;
  $("#confidence-value").textContent = state.min_confidence || "0";
  $("#window").textContent = state.since || state.until
    ? `${state.since || "…"} – ${state.until || "…"}` : "all dates";
  $("#clear-window").hidden = !(state.since || state.until);
}

function update(changes) {
  state = { ...state, ...changes };
  refresh();
}

async function refresh() {
  history.replaceState(null, "", writeHash(state));
  syncControls();
  if (filterKey(state) !== loadedKey) {
    loadedKey = filterKey(state);
    await reload();
  }
  if (state.view && state.incident) openIncident(state.incident, {});
  else if (!state.view && state.event) openEvent(state.event, {});
  else detail.hide();
}

async function reload() {
  const mine = ++generation;
  setStatus("Loading…");
  try {
    const [facets, dates] = await Promise.all([
      getJSON(`api/stats?${apiParams(state, { omitTypes: true })}`),
      getJSON(`api/stats?${apiParams(state, { omitTime: true })}`),
    ]);
    if (mine !== generation) return;
    const total = state.types.length
      ? state.types.reduce((sum, t) => sum + (facets.by_type[t] || 0), 0) : facets.total;
    legend.update(state.types, facets.by_type);
    timeline.update(dates.by_day, state.since, state.until);
    countries(facets.by_country);
    $("#count").dataset.events = String(total); // what poll() compares
    let shown;
    if (state.view) {
      // Incidents have no count of their own in /api/stats: the map's load counts them.
      shown = await map.loadIncidents(apiParams(state));
      if (mine !== generation) return;
      const n = `${fmt(shown.loaded)}${shown.truncated ? "+" : ""}`;
      $("#count").textContent = `${n} incident${shown.loaded === 1 ? "" : "s"}`;
      $("#count").dataset.total = String(shown.loaded);
      list.reset(state, shown.loaded, { incidents: true }).then(() => list.mark(state.incident));
    } else {
      $("#count").textContent = `${fmt(total)} event${total === 1 ? "" : "s"}`;
      $("#count").dataset.total = String(total);
      list.reset(state, total).then(() => list.mark(state.event));
      shown = await map.load(apiParams(state));
      if (mine !== generation) return;
    }
    if (!fitted && shown.located) {
      fitted = true;
      await map.fitToMarkers();
    }
    const notes = [];
    if (shown.truncated) notes.push(`map shows the first ${fmt(MAX_MARKERS)}`);
    const unplaced = shown.loaded - shown.located;
    if (unplaced) notes.push(`${fmt(unplaced)} without a place`);
    setStatus(notes.join(" · "));
    if (!state.map) {  // a fit to the same view fires no moveend; the link still needs it
      state.map = map.view();
      history.replaceState(null, "", writeHash(state));
    }
    const open = state.view ? state.incident : state.event;
    if (open) map.highlight(open);
  } catch (error) {
    if (error.name !== "AbortError") setStatus(error.message, true);
  }
}

function countries(byCountry) {
  const list = $("#countries");
  list.replaceChildren();
  for (const [code, n] of Object.entries(byCountry).sort((a, b) => b[1] - a[1])) {
    const option = document.createElement("option");
    option.value = code;
    option.label = `${code} (${fmt(n)})`;
    list.append(option);
  }
}

function openEvent(eventId, { fromList = false } = {}) {
  if (state.event !== eventId) {
    state.event = eventId;
    history.replaceState(null, "", writeHash(state));
  }
  if (detail.current !== eventId || detail.element.hidden) detail.show(eventId);
  map.highlight(eventId, { reveal: fromList });
  list.mark(eventId);
}

function openIncident(incidentId, { fromList = false } = {}) {
  if (state.incident !== incidentId) {
    state.incident = incidentId;
    history.replaceState(null, "", writeHash(state));
  }
  if (detail.current !== incidentId || detail.element.hidden) detail.showIncident(incidentId);
  map.highlight(incidentId, { reveal: fromList });
  list.mark(incidentId);
}

// The map and the list hand over an id: an incident's in incidents view, else an event's.
function select(id, options) {
  if (state.view) openIncident(id, options);
  else openEvent(id, options);
}

const config = await getJSON("api/config");
const map = new EventMap($("#map"), {
  tiles: config.tiles,
  onSelect: (id) => select(id),
  onMove: (view, bbox) => {
    state.map = view;
    if (state.inview) update({ bbox });
    else history.replaceState(null, "", writeHash(state));
  },
});
await map.ready;
if (state.map) map.setView(state.map);
if (state.inview) state.bbox = map.bbox();

const legend = new Legend($("#legend"), { onChange: (types) => update({ types }) });
const timeline = new Timeline($("#timeline svg"), {
  onBrush: (since, until) => update({ since, until }),
  allButton: $("#timeline-all"),
});
const watchlists = new Watchlists($("#watchlists"), {
  onApply: (params) => {
    state = { ...readHash(`#${params}`), map: state.map, inview: state.inview, bbox: state.bbox,
      view: state.view };
    refresh();
  },
});
const list = new EventList($("#list"), $("#pager"), { onSelect: select });
const detail = new Detail($("#detail"), {
  onClose: () => {
    update({ event: "", incident: "" });
    map.highlight(null);
    list.mark(null);
  },
  onSelect: openEvent,
});

// A confidence of 0 is no constraint: keep it out of the URL.
function value(input) {
  const v = input.value.trim();
  return input.name === "min_confidence" && Number(v) === 0 ? "" : v;
}

let typing = null;
form.addEventListener("input", (e) => {
  const name = e.target.name;
  if (name === "min_confidence") $("#confidence-value").textContent = e.target.value;
  if (!FIELDS.includes(name)) return;
  clearTimeout(typing);
  typing = setTimeout(() => update({ [name]: value(e.target) }), 400);
});
form.addEventListener("change", (e) => {
  const name = e.target.name;
  clearTimeout(typing);
  if (name === "inview") update({ inview: e.target.checked, bbox: map.bbox() });
  else if (name === "view") update({ view: e.target.value, event: "", incident: "" });
  else if (FIELDS.includes(name)) update({ [name]: value(e.target) });
});
form.addEventListener("submit", (e) => e.preventDefault());
$("#clear-window").addEventListener("click", () => update({ since: "", until: "" }));
$("#reset").addEventListener("click", () => {
  state = { ...readHash(""), map: state.map, view: state.view }; // the view is no filter
  refresh();
});
window.addEventListener("hashchange", () => {
  state = readHash(location.hash);
  if (state.inview) state.bbox = map.bbox();
  if (state.map && state.map !== map.view()) map.setView(state.map);
  refresh();
});

// While `eventscope watch` adds events, the count is checked now and then; the view
// reloads when it changed, unless the reader has paged on or has an event open.
async function poll() {
  if (document.hidden) return;
  watchlists.load();
  try {
    const stats = await getJSON(`api/stats?${apiParams(state)}`);
    const shown = Number($("#count").dataset.events);
    if (stats.total !== shown && list.page === 0 && !state.event && !state.incident) {
      loadedKey = null;
      refresh();
    }
  } catch {
    // the next poll tries again
  }
}

refresh();
watchlists.load();
setInterval(poll, REFRESH_MS);
