// One event opened: its coding and the article text with the evidence sentence marked.
import { getJSON } from "./state.js";
import { colorOf } from "./types.js";

const PRECISION = { 1: "the site itself", 2: "near it / part of a region", 3: "region or larger" };

function el(tag, attrs = {}, text = null) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
}

function actorText(actor) {
  if (!actor) return "—";
  const codes = [actor.country, actor.sector].filter(Boolean).join(" ");
  // an implied actor has no words: the type says who acted (ACLED's "Protesters")
  if (actor.implied) return `${actor.name} (implied)${codes ? " · " + codes : ""}`;
  const name = actor.name && actor.name !== actor.text ? ` (${actor.name})` : "";
  return `“${actor.text}”${name}${codes ? " · " + codes : ""}`;
}

function placeText(loc) {
  if (!loc) return "—";
  const name = loc.name && loc.name !== loc.text ? ` (${loc.name})` : "";
  const where = [loc.admin1, loc.country].filter(Boolean).join(", ");
  const precision = loc.precision ? ` · precision ${loc.precision}: ${PRECISION[loc.precision]}` : "";
  return `“${loc.text}”${name}${where ? " · " + where : ""}${precision}`;
}

export class Detail {
  constructor(element, { onClose, onSelect }) {
    this.element = element;
    this.onSelect = onSelect;
    element.querySelector("[data-close]").addEventListener("click", onClose);
    this.body = element.querySelector("[data-body]");
  }

  hide() {
    this.element.hidden = true;
  }

  async show(eventId) {
    this.element.hidden = false;
    this.element.classList.remove("incident");
    this.body.replaceChildren(el("p", { class: "muted" }, "Loading…"));
    this.current = eventId;
    let data;
    try {
      data = await getJSON(`api/events/${encodeURIComponent(eventId)}`);
    } catch (error) {
      this.body.replaceChildren(el("p", { class: "error" }, String(error.message)));
      return;
    }
    if (this.current !== eventId) return;
    this.render(data.event, data.article);
  }

  // One incident: its consensus coding and its reports side by side, each with its
  // outlet, title, date and the evidence sentences of its events.
  async showIncident(incidentId) {
    this.element.hidden = false;
    this.element.classList.add("incident");
    this.body.replaceChildren(el("p", { class: "muted" }, "Loading…"));
    this.current = incidentId;
    let data;
    try {
      data = await getJSON(`api/incidents/${encodeURIComponent(incidentId)}`);
    } catch (error) {
      this.body.replaceChildren(el("p", { class: "error" }, String(error.message)));
      return;
    }
    if (this.current !== incidentId) return;
    this.renderIncident(data);
  }

  renderIncident(incident) {
    const head = el("div", { class: "head" });
    const type = el("span", { class: "type" }, incident.event_type);
    type.style.background = colorOf(incident.event_type);
    const n = incident.n_sources;
    head.append(type, el("span", { class: "badge", "data-sources": "" },
      `${n} source${n === 1 ? "" : "s"}`));
    head.append(el("span", { class: "confidence", title: "confidence" },
      `confidence ${incident.confidence.toFixed(2)}`));

    const dl = el("dl");
    const row = (k, v) => dl.append(el("dt", {}, k), el("dd", {}, v));
    const who = (name, country) => (name ? `${name}${country ? " · " + country : ""}` : "—");
    row("actor", who(incident.actor_name, incident.actor_country));
    row("target", who(incident.target_name, incident.target_country));
    const where = [incident.location_name, incident.admin1, incident.country].filter(Boolean);
    const precision = incident.precision ? ` · precision ${incident.precision}: ${PRECISION[incident.precision]}` : "";
    row("place", where.length ? where.join(", ") + precision : "—");
    row("date", `${incident.date || "undated"}${incident.date_precision ? " (" + incident.date_precision + ")" : ""}`);
    const seen = [incident.first_seen, incident.last_seen].filter(Boolean);
    if (seen.length) row("reported", seen[0] === seen[seen.length - 1] ? seen[0] : seen.join(" – "));
    row("reports", `${incident.n_articles} article${incident.n_articles === 1 ? "" : "s"}, `
      + `${incident.n_events} event${incident.n_events === 1 ? "" : "s"}`);

    const reports = el("div", { class: "reports" });
    for (const article of incident.articles) {
      const box = el("article", { class: "report", "data-article-id": article.article_id });
      box.append(el("div", { class: "outlet" }, article.outlet || "unknown outlet"));
      const web = article.url && /^https?:\/\//i.test(article.url);
      const title = article.title || article.article_id;
      box.append(web
        ? el("a", { class: "title", href: article.url, rel: "noopener noreferrer", target: "_blank" }, title)
        : el("div", { class: "title" }, title));
      box.append(el("div", { class: "date" }, article.published || "undated"));
      const copies = article.sources.map((s) => s.outlet).filter((o) => o && o !== article.outlet);
      if (copies.length) box.append(el("div", { class: "muted" }, `also at ${copies.join(", ")}`));
      for (const event of incident.events) {
        if (event.article.article_id !== article.article_id) continue;
        const quote = el("blockquote", { class: "evidence" }, event.evidence.sentence);
        quote.style.borderColor = colorOf(event.event_type);
        box.append(quote);
      }
      reports.append(box);
    }
    this.body.replaceChildren(head, dl, el("h3", {}, "Reports"), reports);
  }

  render(event, article) {
    const head = el("div", { class: "head" });
    const type = el("span", { class: "type" }, event.event_type);
    type.style.background = colorOf(event.event_type);
    head.append(type);
    if (event.mode) head.append(el("span", { class: "badge" }, event.mode));
    if (event.hedged) head.append(el("span", { class: "badge hedged" }, "hedged"));
    if (event.negated) head.append(el("span", { class: "badge negated" }, "negated"));
    head.append(el("span", { class: "confidence", title: "confidence" },
      `confidence ${event.confidence.toFixed(2)}`));

    const dl = el("dl");
    const row = (k, v) => dl.append(el("dt", {}, k), el("dd", {}, v));
    row("actor", actorText(event.actor));
    row("target", actorText(event.target));
    row("place", placeText(event.location));
    const dateNote = [event.date_precision, event.date_text && `“${event.date_text}”`]
      .filter(Boolean).join(", ");
    row("date", `${event.date || "undated"}${dateNote ? " (" + dateNote + ")" : ""}`);
    row("trigger", `“${event.evidence.trigger}”`);
    row("attribution", event.attribution || "—");
    if (event.context.length) row("context", event.context.join(", "));
    const source = [article.title, article.outlet, article.published].filter(Boolean).join(" · ");
    row("article", source || article.article_id);
    if (article.url) {
      // Only web addresses become links (a store written before ingest refused others may
      // hold a javascript: one); anything else is shown as text.
      const web = /^https?:\/\//i.test(article.url);
      const a = web
        ? el("a", { href: article.url, rel: "noopener noreferrer", target: "_blank" }, article.url)
        : el("span", {}, article.url);
      dl.lastChild.append(el("br"), a);
    }

    // Offsets count Unicode code points (Python), JavaScript strings count UTF-16 units:
    // slice by code points so the mark lands on the same characters.
    const chars = Array.from(article.text);
    const text = el("div", { class: "article-text" });
    const mark = el("mark", { "data-evidence": "" },
      chars.slice(event.evidence.start, event.evidence.end).join(""));
    text.append(chars.slice(0, event.evidence.start).join(""), mark,
      chars.slice(event.evidence.end).join(""));

    const others = el("div", { class: "others" });
    this.body.replaceChildren(head, dl, el("h3", {}, "Article"), text, others);
    mark.scrollIntoView({ block: "center" });
    this.siblings(event, article.article_id, others);
  }

  async siblings(event, articleId, box) {
    const data = await getJSON(`api/articles/${encodeURIComponent(articleId)}`).catch(() => null);
    if (!data || this.current !== event.event_id || data.events.length < 2) return;
    box.append(el("h3", {}, "Other events in this article"));
    for (const other of data.events) {
      if (other.event_id === event.event_id) continue;
      const b = el("button", { type: "button", class: "chip" }, `${other.event_type} · ${other.evidence.trigger}`);
      b.style.borderColor = colorOf(other.event_type);
      b.addEventListener("click", () => this.onSelect(other.event_id, { fromList: true }));
      box.append(b);
    }
  }
}
