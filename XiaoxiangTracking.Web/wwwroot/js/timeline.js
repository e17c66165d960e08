// An order's timeline as a list: time and what happened, newest last.
import { clock, eventLabel } from "./i18n.js";

export function renderTimeline(list, entries) {
  list.replaceChildren(...entries.map((entry) => {
    const item = document.createElement("li");
    item.dataset.event = entry.event;
    if (/Alert(Raised|Resolved)$/.test(entry.event)) item.classList.add("alert-entry");
    const time = document.createElement("time");
    time.dateTime = entry.at;
    time.textContent = clock(entry.at);
    const what = document.createElement("span");
    what.textContent = eventLabel(entry.event);
    item.append(time, what);
    return item;
  }));
}
