// The watchlists (`eventscope watchlist add`) with the count of their matches this
// browser has not seen; a click applies the watchlist's filters and marks its matches
// seen. The marks live here, in localStorage: the API stays read-only.
import { getJSON } from "./state.js";

const KEY = "eventscope.watchlists.seen";

function readMarks() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || "{}") || {};
  } catch {
    return {};
  }
}

export class Watchlists {
  constructor(element, { onApply }) {
    this.element = element;
    this.onApply = onApply;
  }

  async load() {
    const marks = readMarks();
    const query = new URLSearchParams();
    for (const [name, mark] of Object.entries(marks)) query.append("seen", `${name}:${mark}`);
    let lists;
    try {
      lists = await getJSON(`api/watchlists?${query}`);
    } catch {
      return; // the panel is a convenience: the page works without it
    }
    this.render(lists);
  }

  render(lists) {
    this.element.hidden = !lists.length;
    this.element.replaceChildren();
    if (!lists.length) return;
    const title = document.createElement("h2");
    title.textContent = "Watchlists";
    const ul = document.createElement("ul");
    for (const wl of lists) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.name = wl.name;
      button.title = wl.params ? `filters: ${decodeURIComponent(wl.params)}` : "all events";
      button.textContent = wl.name;
      if (wl.unseen) {
        const badge = document.createElement("span");
        badge.className = "unseen";
        badge.textContent = wl.unseen.toLocaleString("en");
        badge.title = `${wl.unseen} new match${wl.unseen === 1 ? "" : "es"}`;
        button.append(" ", badge);
      }
      button.addEventListener("click", () => this.apply(wl));
      li.append(button);
      ul.append(li);
    }
    this.element.append(title, ul);
  }

  apply(wl) {
    const marks = readMarks();
    marks[wl.name] = wl.latest;
    try {
      localStorage.setItem(KEY, JSON.stringify(marks));
    } catch {
      // private mode: counts simply stay
    }
    this.onApply(wl.params);
    this.load();
  }
}
