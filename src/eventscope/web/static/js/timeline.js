// Events per day as an SVG histogram. Dragging across it (a brush) chooses the time
// window; a click without a drag clears it. Plain SVG: no charting library needed.
const SVG = "http://www.w3.org/2000/svg";
const DAY = 86400000;
const PAD = { left: 34, right: 10, top: 8, bottom: 20 };

function parseDay(iso) {
  return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10));
}

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

// The first day of the recent span that holds the events: earlier days are left off
// the chart when the gap before the span is longer than the span itself and they hold
// at most a tenth of the events, so one stray date decades back does not squash a month
// of news into a sliver. `days` are sorted ISO dates.
export function focusStart(days, byDay) {
  const total = days.reduce((sum, d) => sum + byDay[d], 0);
  const last = parseDay(days[days.length - 1]) + DAY;
  let before = 0;
  for (let j = 1; j < days.length; j++) {
    before += byDay[days[j - 1]];
    if (before > total / 10) break;
    const gap = parseDay(days[j]) - parseDay(days[j - 1]);
    if (gap > last - parseDay(days[j])) return j;
  }
  return 0;
}

function node(name, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (parent) parent.appendChild(el);
  return el;
}

export class Timeline {
  constructor(svg, { onBrush, allButton = null }) {
    this.svg = svg;
    this.onBrush = onBrush;
    this.allButton = allButton;
    this.showAll = false;
    if (allButton) {
      allButton.addEventListener("click", () => {
        this.showAll = !this.showAll;
        this.draw();
      });
    }
    this.byDay = {};
    this.window = { since: "", until: "" };
    this.drag = null;
    svg.addEventListener("pointerdown", (e) => this.start(e));
    svg.addEventListener("pointermove", (e) => this.move(e));
    svg.addEventListener("pointerup", (e) => this.end(e));
    new ResizeObserver(() => this.draw()).observe(svg);
  }

  // byDay: {"YYYY-MM-DD": n} for the current filters without the time window.
  update(byDay, since, until) {
    this.byDay = byDay;
    this.window = { since, until };
    this.draw();
  }

  get width() {
    return this.svg.clientWidth;
  }

  get height() {
    return this.svg.clientHeight;
  }

  scale() {
    let days = Object.keys(this.byDay).filter((d) => /^\d{4}-\d\d-\d\d$/.test(d)).sort();
    if (!days.length) {
      if (this.allButton) this.allButton.hidden = true;
      return null;
    }
    const start = focusStart(days, this.byDay);
    const first = days[0];
    const hidden = days.slice(0, start).reduce((sum, d) => sum + this.byDay[d], 0);
    // a chosen window reaching before the span shows everything
    const early = Boolean(this.window.since && start && this.window.since < days[start]);
    if (start && !this.showAll && !early) days = days.slice(start);
    if (this.allButton) {
      this.allButton.hidden = !start || early;
      this.allButton.textContent = this.showAll ? "recent span only"
        : `+${hidden} earlier (from ${first}): show all`;
    }
    const t0 = parseDay(days[0]);
    const t1 = parseDay(days[days.length - 1]) + DAY;
    const span = this.width - PAD.left - PAD.right;
    return {
      days, t0, t1,
      x: (t) => PAD.left + ((t - t0) / (t1 - t0)) * span,
      t: (x) => t0 + ((Math.min(Math.max(x, PAD.left), PAD.left + span) - PAD.left) / span) * (t1 - t0),
    };
  }

  draw() {
    const svg = this.svg;
    svg.replaceChildren();
    const s = this.scale();
    this.s = s;
    if (!s) {
      node("text", { x: PAD.left, y: 24, class: "empty" }, svg).textContent = "No dated events.";
      return;
    }
    const h = this.height - PAD.top - PAD.bottom;
    const max = Math.max(...s.days.map((d) => this.byDay[d]));
    const bars = node("g", { class: "bars" }, svg);
    for (const d of s.days) {
      const t = parseDay(d);
      const x = s.x(t);
      const w = Math.max(1, s.x(t + DAY) - x - (s.x(t + DAY) - x > 3 ? 1 : 0));
      const bh = Math.max(1, (this.byDay[d] / max) * h);
      const { since, until } = this.window;
      const out = (since && d < since) || (until && d > until);
      const bar = node("rect", { x, y: PAD.top + h - bh, width: w, height: bh }, bars);
      if (out) bar.classList.add("out");
      node("title", {}, bar).textContent = `${d}: ${this.byDay[d]}`;
    }
    this.axis(s, h, max);
    this.brush = node("rect", { class: "brush", y: PAD.top, height: h, x: 0, width: 0 }, svg);
    this.showWindow();
  }

  axis(s, h, max) {
    const g = node("g", { class: "axis" }, this.svg);
    node("line", { x1: PAD.left, x2: this.width - PAD.right, y1: PAD.top + h, y2: PAD.top + h }, g);
    node("text", { x: PAD.left - 4, y: PAD.top + 8, "text-anchor": "end" }, g).textContent = max;
    node("text", { x: PAD.left - 4, y: PAD.top + h, "text-anchor": "end" }, g).textContent = 0;
    // Ticks at month starts, thinned so labels do not overlap (~70 px each).
    const start = new Date(s.t0);
    const months = [];
    for (let y = start.getUTCFullYear(), m = start.getUTCMonth() + 1; ; m++) {
      const t = Date.UTC(y, m, 1);
      if (t > s.t1) break;
      months.push(t);
    }
    const step = Math.max(1, Math.ceil(months.length / Math.max(1, (this.width - 60) / 70)));
    const every = [1, 2, 3, 6, 12, 24].find((n) => n >= step) || step;
    for (const t of months) {
      const d = new Date(t);
      if (d.getUTCMonth() % every !== 0 && every <= 12) continue;
      const x = s.x(t);
      node("line", { x1: x, x2: x, y1: PAD.top + h, y2: PAD.top + h + 4 }, g);
      const label = d.getUTCMonth() === 0 || every >= 12 ? String(d.getUTCFullYear())
        : d.toLocaleString("en", { month: "short", timeZone: "UTC" });
      node("text", { x, y: PAD.top + h + 15, "text-anchor": "middle" }, g).textContent = label;
    }
  }

  showWindow() {
    const { since, until } = this.window;
    if (!this.s || !this.brush || (!since && !until)) return;
    const a = since ? this.s.x(parseDay(since)) : PAD.left;
    const b = until ? this.s.x(parseDay(until) + DAY) : this.width - PAD.right;
    this.brush.setAttribute("x", Math.min(a, b));
    this.brush.setAttribute("width", Math.max(2, Math.abs(b - a)));
  }

  start(e) {
    if (!this.s) return;
    this.svg.setPointerCapture(e.pointerId);
    this.drag = { x0: e.offsetX, x1: e.offsetX };
  }

  move(e) {
    if (!this.drag) return;
    this.drag.x1 = e.offsetX;
    const a = Math.min(this.drag.x0, this.drag.x1);
    this.brush.setAttribute("x", a);
    this.brush.setAttribute("width", Math.abs(this.drag.x1 - this.drag.x0));
  }

  end(e) {
    if (!this.drag) return;
    const { x0 } = this.drag;
    const x1 = e.offsetX;
    this.drag = null;
    if (Math.abs(x1 - x0) < 3) {
      this.onBrush("", "");
      return;
    }
    const since = isoDay(Math.floor(this.s.t(Math.min(x0, x1)) / DAY) * DAY);
    const until = isoDay(Math.floor((this.s.t(Math.max(x0, x1)) - 1) / DAY) * DAY);
    this.onBrush(since, until < since ? since : until);
  }
}
