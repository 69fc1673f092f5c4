// The events matching the filters, one page at a time (the API's cursor), newest first
// (by date, then id; undated events last) so that the latest news leads.
import { apiParams, getJSON } from "./state.js";
import { colorOf } from "./types.js";

export const PAGE_SIZE = 50;

export class EventList {
  constructor(element, pager, { onSelect }) {
    this.element = element;
    this.pager = pager;
    this.onSelect = onSelect;
    this.cursors = [null]; // cursor of each page seen so far; index = page number
    this.page = 0;
    this.total = 0;
    this.params = null;
    this.prev = pager.querySelector("[data-prev]");
    this.next = pager.querySelector("[data-next]");
    this.label = pager.querySelector("[data-label]");
    this.prev.addEventListener("click", () => this.show(this.page - 1));
    this.next.addEventListener("click", () => this.show(this.page + 1));
  }

  // `incidents` lists incidents (by date, as the API gives them) instead of events.
  reset(state, total, { incidents = false } = {}) {
    this.incidents = incidents;
    this.params = apiParams(state);
    this.total = total;
    this.cursors = [null];
    return this.show(0);
  }

  async show(page) {
    if (page < 0 || page >= this.cursors.length) return;
    const query = new URLSearchParams(this.params);
    query.set("limit", String(PAGE_SIZE));
    if (!this.incidents) query.set("order", "newest");
    if (this.cursors[page]) query.set("cursor", this.cursors[page]);
    const path = this.incidents ? "api/incidents" : "api/events";
    const asked = `${path}?${query}`;
    this.asked = asked;
    let body;
    try {
      body = await getJSON(asked);
    } catch (error) {
      if (this.asked === asked) this.label.textContent = error.message;
      return;
    }
    if (this.asked !== asked) return; // a newer request owns the list
    this.page = page;
    this.cursors[page + 1] = body.next_cursor;
    this.cursors.length = body.next_cursor ? page + 2 : page + 1;
    const rows = this.incidents ? body.incidents : body.events;
    if (this.incidents) this.renderIncidents(rows);
    else this.render(rows);
    const first = page * PAGE_SIZE + (rows.length ? 1 : 0);
    const last = page * PAGE_SIZE + rows.length;
    this.label.textContent = `${first.toLocaleString("en")}–${last.toLocaleString("en")} of ${this.total.toLocaleString("en")}`;
    this.prev.disabled = page === 0;
    this.next.disabled = !body.next_cursor;
  }

  render(events) {
    this.element.replaceChildren();
    for (const event of events) {
      const li = document.createElement("li");
      li.dataset.eventId = event.event_id;
      li.tabIndex = 0;
      const type = document.createElement("span");
      type.className = "type";
      type.style.background = colorOf(event.event_type);
      type.textContent = event.event_type;
      const date = document.createElement("span");
      date.className = "date";
      date.textContent = event.date || "undated";
      const meta = document.createElement("span");
      meta.append(date);
      for (const flag of ["hedged", "negated"]) {
        if (!event[flag]) continue;
        const badge = document.createElement("span");
        badge.className = `flag ${flag}`;
        badge.textContent = flag;
        meta.append(" ", badge);
      }
      const who = document.createElement("span");
      who.className = "who";
      const actor = event.actor ? event.actor.name || event.actor.text : "?";
      const target = event.target ? ` → ${event.target.name || event.target.text}` : "";
      const place = event.location ? ` · ${event.location.name || event.location.text}` : "";
      who.textContent = `${actor}${target}${place}`;
      const sentence = document.createElement("span");
      sentence.className = "sentence";
      sentence.textContent = event.evidence.sentence;
      li.append(type, meta, who, sentence);
      li.addEventListener("click", () => this.onSelect(event.event_id, { fromList: true }));
      li.addEventListener("keydown", (e) => {
        if (e.key === "Enter") this.onSelect(event.event_id, { fromList: true });
      });
      this.element.append(li);
    }
  }

  renderIncidents(incidents) {
    this.element.replaceChildren();
    for (const incident of incidents) {
      const li = document.createElement("li");
      li.dataset.eventId = incident.id;
      li.className = "incident";
      li.tabIndex = 0;
      const type = document.createElement("span");
      type.className = "type";
      type.style.background = colorOf(incident.event_type);
      type.textContent = incident.event_type;
      const date = document.createElement("span");
      date.className = "date";
      date.textContent = incident.date || "undated";
      const sources = document.createElement("span");
      sources.className = "sources";
      sources.textContent = plural(incident.n_sources, "source");
      const articles = document.createElement("span");
      articles.className = "articles";
      articles.textContent = plural(incident.n_articles, "report");
      const meta = document.createElement("span");
      meta.append(date, " · ", sources, " · ", articles);
      const who = document.createElement("span");
      who.className = "who";
      const place = [incident.location_name, incident.country].filter(Boolean).join(", ");
      const actor = incident.actor_name || "";
      const target = incident.target_name ? ` → ${incident.target_name}` : "";
      who.textContent = [actor + target, place].filter(Boolean).join(" · ") || "—";
      li.append(type, meta, who);
      li.addEventListener("click", () => this.onSelect(incident.id, { fromList: true }));
      li.addEventListener("keydown", (e) => {
        if (e.key === "Enter") this.onSelect(incident.id, { fromList: true });
      });
      this.element.append(li);
    }
  }

  mark(eventId) {
    for (const li of this.element.children) li.classList.toggle("open", li.dataset.eventId === eventId);
  }
}

function plural(n, word) {
  return `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
}
