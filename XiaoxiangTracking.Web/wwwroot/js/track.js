// The customer's page: status, the rider on the map while delivering, the ETA and its range, the timeline. Opened by a
// share link (/t/{token}) it is the same page read-only, with nothing personal: the destination is only a marker.
import { t, clock, translatePage, onLanguageChange, languageToggle } from "./i18n.js";
import { api, settings, requireToken, isSharedView, ApiError } from "./session.js";
import { connectLive, showConnection } from "./live.js";
import { createMap, dot, glide, smooth, fit, placeMarker, lines } from "./map.js";
import { renderTimeline } from "./timeline.js";

const $ = (id) => document.getElementById(id);
const shared = isSharedView();

languageToggle($("language"));
await requireToken("customer");
const map = createMap($("map"), await settings);

const say = (key) => {
  $("message").hidden = false;
  $("message").dataset.i18n = key;
  translatePage();
};

// What the page shows the order by: the customer's own order, or the share link's view of it.
let order = null;
try {
  if (shared) {
    const view = await api("/api/share");
    order = { id: view.orderId, home: view.destination, warehouse: view.warehouse, homeTitle: t("destination"), warehouseTitle: t("warehouse") };
  } else {
    const id = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop());
    const own = await api(`/api/orders/${encodeURIComponent(id)}`);
    order = { id: own.id, home: own.deliveryAddress, warehouse: own.warehouse, homeTitle: own.deliveryAddress.text, warehouseTitle: own.warehouse.id };
  }
} catch (error) {
  if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 401)) throw error;
  say(shared ? "linkExpired" : "notFound");
}

if (order) {
  const orderId = order.id;
  const home = [order.home.latitude, order.home.longitude];
  const warehouse = [order.warehouse.latitude, order.warehouse.longitude];
  placeMarker(map, home, dot("destination", "家"), order.homeTitle);
  placeMarker(map, warehouse, dot("warehouse", "仓"), order.warehouseTitle);
  fit(map, [home, warehouse]);

  let state = null;
  let rider = null;
  const fixes = [];
  const trail = L.polyline([], lines.trail).addTo(map);
  let timelineStatus = null;

  const render = () => {
    if (!state) return;
    $("status").textContent = t(`status.${state.status}`);
    $("status").dataset.status = state.status;
    for (const step of $("steps").children) {
      const s = Number(step.dataset.status);
      step.classList.toggle("done", state.status !== 5 && s < state.status);
      step.classList.toggle("current", s === state.status);
    }
    $("steps").classList.toggle("cancelled", state.status === 5);
    const eta = state.status === 3 || state.status === 2 ? state.eta : null;
    $("eta").textContent = eta
      ? t("eta", { at: clock(eta.estimatedAt) }) + t("etaRange", { from: clock(eta.earliest), to: clock(eta.latest) })
      : "";
    // A rider carrying several orders collects this one at the warehouse first: its estimate goes through there.
    $("eta-note").textContent = state.status === 3 && state.collected === false ? t("toCollect")
      : eta?.learned ? t("etaLearned") : "";
  };

  // The timeline is read again on each status change and reconnect; while the server is unreachable the last one stays.
  const refreshTimeline = () => api(`/api/orders/${encodeURIComponent(orderId)}/timeline`)
    .then((entries) => renderTimeline($("timeline"), entries), () => {});

  // The map frames home, warehouse and rider, and follows the rider: when a fix falls outside the view it frames them
  // again. A customer who drags or zooms the map takes it over; the "follow rider" button gives it back.
  let following = true;
  let riderAt = null;
  const frame = () => fit(map, [riderAt, home, warehouse]);
  const followButton = L.control({ position: "bottomright" });
  followButton.onAdd = () => {
    const button = L.DomUtil.create("button", "follow-rider");
    button.id = "follow";
    button.type = "button";
    button.hidden = true;
    button.dataset.i18n = "followRider";
    button.textContent = t("followRider");
    L.DomEvent.disableClickPropagation(button);
    button.addEventListener("click", () => {
      following = true;
      button.hidden = true;
      frame();
    });
    return button;
  };
  followButton.addTo(map);
  const takeOver = () => {
    if (!rider) return;
    following = false;
    $("follow").hidden = false;
  };
  map.on("dragstart", takeOver);
  map.getContainer().addEventListener("wheel", takeOver, { passive: true });
  for (const zoom of map.getContainer().querySelectorAll(".leaflet-control-zoom a")) zoom.addEventListener("click", takeOver);

  const moveRider = (position) => {
    const at = [position.latitude, position.longitude];
    riderAt = at;
    if (!rider) {
      rider = placeMarker(map, at, dot("rider", "骑"), t("rider"));
      rider.getElement().id = "rider-marker";
      frame();
    } else {
      glide(rider, at);
      if (following && !map.getBounds().pad(-0.05).contains(at)) frame();
    }
    const last = fixes[fixes.length - 1];
    if (!last || last.time !== position.fixTime) {
      fixes.push({ time: position.fixTime, at });
      trail.setLatLngs(smooth(fixes.map((f) => f.at)));
    }
  };

  connectLive({
    subscribe: (hub, held) => hub.invoke("SubscribeOrder", orderId, held.get(orderId)?.trackingVersion ?? null),
    onChange: (next) => {
      state = next;
      render();
      if (state.status === 3 && state.position) moveRider(state.position);
      if (state.status !== 3 && rider) {
        rider.remove();
        rider = null;
        riderAt = null;
        following = true;
        $("follow").hidden = true;
      }
      if (state.status !== timelineStatus) {
        timelineStatus = state.status;
        refreshTimeline();
      }
    },
    onConnection: (connection) => {
      showConnection($("connection"), t, connection);
      document.body.classList.toggle("is-offline", connection !== "online");
      if (connection === "online") refreshTimeline();
    },
    // A share link revoked or expired: the page says so and stops trying.
    onRefused: shared ? () => {
      say("linkExpired");
      $("connection").textContent = "";
      document.body.classList.add("is-offline");
    } : null,
  });
  onLanguageChange(() => {
    render();
    showConnection($("connection"), t);
    refreshTimeline();
  });
}
translatePage();
