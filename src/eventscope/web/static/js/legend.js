// The type legend doubles as the type filter: one checkbox per PLOVER type with its colour
// and its count under the other filters.
import { colorOf, TYPES } from "./types.js";

export class Legend {
  constructor(element, { onChange }) {
    this.element = element;
    this.onChange = onChange;
    this.boxes = new Map();
    const list = document.createElement("ul");
    for (const type of TYPES) {
      const li = document.createElement("li");
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = type;
      box.addEventListener("change", () => this.onChange(this.selected()));
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colorOf(type);
      const name = document.createElement("span");
      name.className = "type";
      name.textContent = type;
      const count = document.createElement("span");
      count.className = "n";
      label.append(box, swatch, name, count);
      const only = document.createElement("button");
      only.type = "button";
      only.className = "only";
      only.textContent = "only";
      only.title = `show only ${type}`;
      only.addEventListener("click", () => this.onChange([type]));
      li.append(label, only);
      list.append(li);
      this.boxes.set(type, { box, count, li });
    }
    const all = document.createElement("button");
    all.type = "button";
    all.textContent = "all types";
    all.addEventListener("click", () => this.onChange([]));
    element.append(list, all);
  }

  // `types` empty means all; counts: {TYPE: n} without the type filter.
  update(types, counts) {
    for (const [type, { box, count, li }] of this.boxes) {
      box.checked = types.length === 0 || types.includes(type);
      const n = counts[type] || 0;
      count.textContent = n.toLocaleString("en");
      li.classList.toggle("zero", n === 0);
    }
  }

  selected() {
    const on = [...this.boxes].filter(([, { box }]) => box.checked).map(([t]) => t);
    return on.length === TYPES.length ? [] : on;
  }
}
