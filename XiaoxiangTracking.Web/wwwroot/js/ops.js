// The ops map: every active order and rider, coloured by status; open alerts live with acknowledge and resolve; an
// order's detail and timeline on click; counts of active orders, riders online and open alerts.
import { t, clock, dayAndClock, alertText, errorText, translatePage, onLanguageChange, languageToggle } from "./i18n.js";
import { api, settings, requireToken, shortId } from "./session.js";
import { connectLive, showConnection } from "./live.js";
import { createMap, dot, glide, fit, lines, placeMarker } from "./map.js";
import { renderTimeline } from "./timeline.js";

const $ = (id) => document.getElementById(id);
const RIDER_POLL_MS = 15_000;
const ALERT_POLL_MS = 30_000;

languageToggle($("language"));
await requireToken("ops");
const map = createMap($("map"), await settings);

const orders = new Map(); // orderId -> { state, marker, link }
const riders = new Map(); // riderId -> { marker, orderId }
let alerts = [];
let selected = null;
let selectedOrder = null; // the selected order as GET /api/orders/{id} has it, when it is not on the map

// The map keeps everything in view as orders and riders appear, until the user moves or zooms it themselves. It jumps
// to the new view rather than gliding, so a marker does not slide away under a click.
let userMoved = false;
for (const event of ["mousedown", "wheel", "touchstart", "keydown"]) {
  $("map").addEventListener(event, () => { userMoved = true; }, { passive: true });
}
let fitTimer = null;
function scheduleFit() {
  if (userMoved) return;
  clearTimeout(fitTimer);
  fitTimer = setTimeout(() => {
    if (userMoved) return;
    const places = [...orders.values(), ...riders.values()].map((entry) => entry.marker.getLatLng()).map((p) => [p.lat, p.lng]);
    fit(map, places, false);
  }, 150);
}

// Orders: a marker at the delivery address, coloured by status (red while an alert is open), and a dashed line from
// the rider carrying it.
function drawOrder(state) {
  let entry = orders.get(state.orderId);
  if (!state.active) {
    removeOrder(state.orderId);
    return;
  }
  const destination = state.destination ? [state.destination.latitude, state.destination.longitude] : null;
  if (!destination) return;
  const className = `status-${state.status}${state.alerts?.length ? " has-alert" : ""}${selected === state.orderId ? " selected" : ""}`;
  if (!entry) {
    const marker = L.marker(destination, { icon: dot(className), keyboard: false }).addTo(map);
    marker.on("click", () => attempt(() => select(state.orderId)));
    entry = { marker, link: null, className };
    orders.set(state.orderId, entry);
    scheduleFit();
    decorate(marker, state);
  } else {
    // A new icon replaces the marker's element: only when its look changes, so a click that spans an update (most
    // carry only a position or an ETA) is not lost between its press and its release.
    if (entry.className !== className) {
      entry.marker.setIcon(dot(className));
      entry.className = className;
    }
    decorate(entry.marker, state);
  }
  entry.state = state;
  const at = state.position ? [state.position.latitude, state.position.longitude] : null;
  if (state.status === 3 && at) {
    if (!entry.link) entry.link = L.polyline([at, destination], lines.routeLink).addTo(map);
    else entry.link.setLatLngs([at, destination]);
    if (state.riderId) placeRider(state.riderId, at, state.orderId);
  } else if (entry.link) {
    entry.link.remove();
    entry.link = null;
  }
  counts();
  if (selected === state.orderId) showOrder(state.orderId, false).catch(() => {});
}

function decorate(orderMarker, state) {
  const element = orderMarker.getElement();
  if (!element) return;
  element.classList.add("order-marker");
  element.dataset.orderId = state.orderId;
  element.dataset.status = state.status;
  element.dataset.alerts = (state.alerts ?? []).join(",");
  element.title = `${shortId(state.orderId)} · ${t("status." + state.status)}`;
}

function removeOrder(orderId) {
  const entry = orders.get(orderId);
  if (!entry) return;
  entry.marker.remove();
  entry.link?.remove();
  orders.delete(orderId);
  if (selected === orderId) closeOrder();
  counts();
}

// Riders: every rider seen in the last ten minutes, grey when free and blue when carrying an order; riders carrying an
// order move with that order's pushes between the polls.
function placeRider(riderId, at, orderId) {
  let rider = riders.get(riderId);
  const className = `small ${orderId ? "rider-carrying" : "rider-free"}`;
  if (!rider) {
    rider = { marker: placeMarker(map, at, dot(className), riderId), orderId };
    riders.set(riderId, rider);
    scheduleFit();
  } else {
    if (rider.orderId !== orderId) rider.marker.setIcon(dot(className));
    glide(rider.marker, at);
    rider.orderId = orderId;
  }
  const element = rider.marker.getElement();
  element.classList.add("rider-marker");
  element.dataset.riderId = riderId;
}

async function refreshRiders() {
  const seen = await api("/api/tracking/riders?seenWithin=00:10:00");
  const ids = new Set(seen.map((r) => r.riderId));
  for (const [riderId, rider] of riders) {
    if (!ids.has(riderId)) {
      rider.marker.remove();
      riders.delete(riderId);
    }
  }
  for (const rider of seen) placeRider(rider.riderId, [rider.latitude, rider.longitude], rider.orderId);
  counts();
}

// Alerts: the open ones, newest first. Any push that changes an order's alerts asks for the list again at once.
let alertRefresh = null;
function refreshAlertsSoon() {
  clearTimeout(alertRefresh);
  alertRefresh = setTimeout(() => refreshAlerts().catch(() => {}), 100);
}

async function refreshAlerts() {
  alerts = await api("/api/tracking/alerts?unresolved=true&limit=200");
  drawAlerts();
}

function drawAlerts() {
  $("no-alerts").hidden = alerts.length > 0;
  $("alerts").replaceChildren(...alerts.map((alert) => {
    const item = document.createElement("li");
    item.dataset.alertId = alert.id;
    item.dataset.type = alert.type;
    item.dataset.status = alert.status;
    const what = document.createElement("div");
    what.className = "what";
    what.textContent = `${t("alert." + alert.type)} · ${t("alertStatus." + alert.status)}`;
    const facts = document.createElement("div");
    facts.className = "muted";
    facts.textContent = `${clock(alert.raisedAt)} · ${t("order")} ${shortId(alert.orderId)}${alert.riderId ? ` · ${alert.riderId}` : ""}`;
    const detail = document.createElement("div");
    detail.className = "reason";
    detail.textContent = alertText(alert);
    const actions = document.createElement("div");
    actions.className = "actions";
    if (alert.status === "Open") actions.append(button("acknowledge", () => attempt(() => act(alert, "acknowledge"))));
    actions.append(button("resolve", () => attempt(() => act(alert, "resolve"))));
    actions.append(button("orderDetail", () => attempt(() => select(alert.orderId))));
    item.append(what, facts, detail, actions);
    return item;
  }));
  counts();
}

function button(label, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = label;
  element.textContent = t(label);
  element.addEventListener("click", onClick);
  return element;
}

/** Runs what a click asked for; if it fails, says why in the viewer's language until the next success. */
async function attempt(work) {
  try {
    await work();
    $("ops-message").hidden = true;
  } catch (error) {
    $("ops-message").textContent = errorText(error);
    $("ops-message").hidden = false;
  }
}

async function act(alert, action) {
  await api(`/api/tracking/alerts/${encodeURIComponent(alert.id)}/${action}`, { method: "POST" });
  await refreshAlerts();
}

// The selected order: its facts, links to the customer page and the replay, and its timeline.
async function select(orderId) {
  selectedOrder = orders.has(orderId) ? null : await api(`/api/orders/${encodeURIComponent(orderId)}`);
  const previous = selected;
  selected = orderId;
  for (const id of [previous, orderId]) if (id && orders.get(id)) drawOrder(orders.get(id).state);
  await showOrder(orderId, true);
}

async function showOrder(orderId, withTimeline) {
  const state = orders.get(orderId)?.state;
  $("order-panel").hidden = false;
  $("order-panel").dataset.orderId = orderId;
  $("order-title").textContent = shortId(orderId);
  const known = state
    ? { status: state.status, riderId: state.riderId, address: state.deliveryAddress, warehouseId: state.warehouseId }
    : selectedOrder && {
      status: selectedOrder.status, riderId: selectedOrder.riderId, address: selectedOrder.deliveryAddress?.text, warehouseId: selectedOrder.warehouse?.id,
    };
  const facts = known
    ? [["status." + known.status, ""], ["rider", known.riderId ?? "—"], ["destination", known.address ?? "—"], ["warehouse", known.warehouseId ?? "—"]]
    : [];
  $("order-facts").replaceChildren(...facts.flatMap(([key, value]) => {
    const term = document.createElement("dt");
    const description = document.createElement("dd");
    if (key.startsWith("status.")) {
      term.textContent = t("statusLabel");
      description.textContent = t(key);
    } else {
      term.textContent = t(key);
      description.textContent = value;
    }
    return [term, description];
  }));
  $("order-track").href = `/track/${encodeURIComponent(orderId)}`;
  $("order-replay").href = `/replay/${encodeURIComponent(orderId)}`;
  if (withTimeline) renderTimeline($("order-timeline"), await api(`/api/orders/${encodeURIComponent(orderId)}/timeline`));
}

function closeOrder() {
  const previous = selected;
  selected = null;
  selectedOrder = null;
  $("order-panel").hidden = true;
  if (previous && orders.get(previous)) drawOrder(orders.get(previous).state);
}
$("order-close").addEventListener("click", closeOrder);

// Finding any order, active or not: by status, warehouse, rider, customer and when it was placed (the viewer's local
// time); further pages follow the server's `next`.
let searchQuery = null;
let searchNext = null;
let found = [];
$("search").addEventListener("submit", (event) => {
  event.preventDefault();
  attempt(() => search(new FormData(event.target)));
});
$("search-more").addEventListener("click", () => attempt(() => search(null)));

async function search(form) {
  if (form) {
    searchQuery = new URLSearchParams({ pageSize: "20" });
    for (const name of ["status", "warehouseId", "riderId", "customerId"]) {
      const value = form.get(name).trim();
      if (value) searchQuery.set(name, value);
    }
    for (const name of ["from", "to"]) {
      const value = form.get(name);
      if (value) searchQuery.set(name, new Date(value).toISOString());
    }
    found = [];
    searchNext = null;
  }
  const query = new URLSearchParams(searchQuery);
  if (searchNext) query.set("after", searchNext);
  const page = await api(`/api/orders?${query}`);
  found = [...found, ...page.items];
  searchNext = page.next;
  drawFound();
}

function drawFound() {
  $("search-results").replaceChildren(...found.map((order) => {
    const item = document.createElement("li");
    item.tabIndex = 0;
    item.dataset.orderId = order.id;
    item.dataset.status = order.status;
    const id = document.createElement("span");
    id.className = "id";
    id.textContent = shortId(order.id);
    const what = document.createElement("span");
    what.textContent = [t("status." + order.status), order.warehouseId, order.riderId].filter(Boolean).join(" · ");
    const placed = document.createElement("time");
    placed.dateTime = order.createdAt;
    placed.textContent = dayAndClock(order.createdAt);
    item.append(id, what, placed);
    const open = () => attempt(() => select(order.id));
    item.addEventListener("click", open);
    item.addEventListener("keydown", (event) => { if (event.key === "Enter") open(); });
    return item;
  }));
  $("search-empty").hidden = searchQuery === null || found.length > 0;
  $("search-more").hidden = !searchNext;
}

function counts() {
  $("count-orders").textContent = orders.size;
  $("count-riders").textContent = riders.size;
  $("count-alerts").textContent = alerts.length;
}

connectLive({
  subscribe: async (hub) => {
    await hub.invoke("SubscribeFleet", null);
    await Promise.all([refreshAlerts(), refreshRiders()]);
  },
  onChange: (state, update) => {
    drawOrder(state);
    if (update.alerts != null || (update.snapshot && state.alerts?.length)) refreshAlertsSoon();
  },
  onRemoved: removeOrder,
  onConnection: (connection) => {
    showConnection($("connection"), t, connection);
    document.body.classList.toggle("is-offline", connection !== "online");
  },
});
setInterval(() => refreshRiders().catch(() => {}), RIDER_POLL_MS);
setInterval(() => refreshAlerts().catch(() => {}), ALERT_POLL_MS);
onLanguageChange(() => {
  drawAlerts();
  drawFound();
  showConnection($("connection"), t);
  if (selected) showOrder(selected, true).catch(() => {});
});
translatePage();
