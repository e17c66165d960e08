// Replay of a delivery: the stored trajectory with a time slider and play/pause, warehouse stages, rider events and
// alerts as markers on the path at the time they happened.
import { t, clockWithSeconds, eventLabel, alertText, translatePage, onLanguageChange, languageToggle } from "./i18n.js";
import { api, settings, requireToken, shortId, ApiError } from "./session.js";
import { createMap, dot, fit, placeMarker, lines } from "./map.js";
import { renderTimeline } from "./timeline.js";

const orderId = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop());
const $ = (id) => document.getElementById(id);
const STEPS = 1000;

languageToggle($("language"));
await requireToken("ops");
const map = createMap($("map"), await settings);
$("order-title").textContent = shortId(orderId);

const show = (key) => {
  $("message").hidden = false;
  $("message").dataset.i18n = key;
  translatePage();
};

let trajectory;
let timeline = [];
let alerts = [];
try {
  const id = encodeURIComponent(orderId);
  [trajectory, timeline, alerts] = await Promise.all([
    api(`/api/orders/${id}/trajectory?tolerance=0`),
    api(`/api/orders/${id}/timeline`),
    api(`/api/tracking/alerts?orderId=${id}&unresolved=false&limit=500`),
  ]);
} catch (error) {
  if (!(error instanceof ApiError) || error.status !== 404) throw error;
  show("notFound");
}

const coordinates = !trajectory?.geometry ? []
  : trajectory.geometry.type === "Point" ? [trajectory.geometry.coordinates] : trajectory.geometry.coordinates;
const points = coordinates.map(([lng, lat], i) => ({ at: [lat, lng], time: Date.parse(trajectory.properties.times[i]) }));
renderTimeline($("timeline"), timeline);
onLanguageChange(() => renderTimeline($("timeline"), timeline));

if (trajectory && points.length === 0) show("noTrajectory");

if (points.length > 0) {
  const start = points[0].time;
  const end = points[points.length - 1].time;
  const span = Math.max(end - start, 1);
  $("summary").textContent = t("points", { n: points.length });
  onLanguageChange(() => { $("summary").textContent = t("points", { n: points.length }); });

  L.polyline(points.map((p) => p.at), lines.fullPath).addTo(map);
  const travelled = L.polyline([], lines.trail).addTo(map);
  const rider = placeMarker(map, points[0].at, dot("rider", "骑"), trajectory.properties.riderId ?? "");
  rider.getElement().id = "replay-rider";
  fit(map, points.map((p) => p.at));

  // Where the rider was at a time: between the two fixes around it, in proportion.
  const positionAt = (time) => {
    if (time <= start) return { at: points[0].at, index: 0 };
    if (time >= end) return { at: points[points.length - 1].at, index: points.length - 1 };
    let i = points.findIndex((p) => p.time > time) - 1;
    const [a, b] = [points[i], points[i + 1]];
    const f = (time - a.time) / Math.max(b.time - a.time, 1);
    return { at: [a.at[0] + (b.at[0] - a.at[0]) * f, a.at[1] + (b.at[1] - a.at[1]) * f], index: i };
  };

  // Stages, assignments, arrivals and alerts where they happened (their own place, or the path's at that time).
  const events = [
    ...timeline.map((e) => ({ time: Date.parse(e.at), label: () => eventLabel(e.event), at: e.latitude != null ? [e.latitude, e.longitude] : null, kind: /Alert/.test(e.event) ? "alert" : "stage", event: e.event })),
    ...alerts.map((a) => ({ time: Date.parse(a.raisedAt), label: () => `${t("alert." + a.type)} · ${alertText(a)}`, at: a.latitude != null ? [a.latitude, a.longitude] : null, kind: "alert", event: a.type })),
  ].filter((e) => e.kind === "alert" ? true : e.time >= start - 60_000);
  const tooltip = (event) => `${clockWithSeconds(new Date(event.time).toISOString())} ${event.label()}`;
  const labelled = events.map((event) => {
    const at = event.at ?? positionAt(event.time).at;
    const marker = placeMarker(map, at, dot(`small ${event.kind === "alert" ? "has-alert" : "status-2"}`), event.label());
    marker.bindTooltip(tooltip(event));
    const element = marker.getElement();
    element.classList.add(`${event.kind}-marker`);
    element.dataset.event = event.event;
    return { marker, event };
  });
  onLanguageChange(() => {
    for (const { marker, event } of labelled) {
      marker.getElement().title = event.label();
      marker.setTooltipContent(tooltip(event));
    }
  });

  let time = start;
  let playing = false;
  let last = null;
  const draw = () => {
    const { at, index } = positionAt(time);
    rider.setLatLng(at);
    const element = rider.getElement();
    element.dataset.lat = at[0];
    element.dataset.lng = at[1];
    travelled.setLatLngs([...points.slice(0, index + 1).map((p) => p.at), at]);
    $("scrubber").value = Math.round(((time - start) / span) * STEPS);
    $("clock").textContent = clockWithSeconds(new Date(time).toISOString());
    $("clock").dataset.time = new Date(time).toISOString();
  };
  const setPlaying = (on) => {
    playing = on;
    last = null;
    $("play").dataset.i18n = on ? "pause" : "play";
    $("play").dataset.playing = on;
    translatePage();
    if (on) requestAnimationFrame(frame);
  };
  const frame = (now) => {
    if (!playing) return;
    if (last !== null) time = Math.min(end, time + (now - last) * Number($("speed").value));
    last = now;
    draw();
    if (time >= end) setPlaying(false);
    else requestAnimationFrame(frame);
  };
  $("play").addEventListener("click", () => {
    if (!playing && time >= end) time = start;
    setPlaying(!playing);
  });
  onLanguageChange(draw);
  $("scrubber").addEventListener("input", () => {
    time = start + (Number($("scrubber").value) / STEPS) * span;
    draw();
  });
  draw();
}
translatePage();
