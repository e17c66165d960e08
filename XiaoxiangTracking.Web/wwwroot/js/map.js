// The map: Leaflet with the configured tiles (the pages work without them: markers and lines need no tiles),
// markers drawn with CSS, a marker that glides between fixes and a trail smoothed for display.

const SHANGHAI = [31.2, 121.48];

export function createMap(element, settings) {
  const map = L.map(element, { zoomControl: true, attributionControl: true }).setView(SHANGHAI, 12);
  if (settings.tileUrl) {
    L.tileLayer(settings.tileUrl, { maxZoom: settings.maxZoom, attribution: settings.tileAttribution }).addTo(map);
  }
  return map;
}

/** A round marker styled by CSS classes (no inline styles: the pages' Content-Security-Policy forbids them). */
export function dot(className, label = "") {
  return L.divIcon({ className: `dot ${className}`, html: label ? `<span>${label}</span>` : "", iconSize: null });
}

/** Moves a marker to a new place over about a second, so the rider rides rather than jumps. */
export function glide(marker, to, milliseconds = 900) {
  cancelAnimationFrame(marker._glide);
  const from = marker.getLatLng();
  const start = performance.now();
  const step = (now) => {
    const f = Math.min(1, (now - start) / milliseconds);
    const eased = f * (2 - f);
    marker.setLatLng([from.lat + (to[0] - from.lat) * eased, from.lng + (to[1] - from.lng) * eased]);
    if (f < 1) marker._glide = requestAnimationFrame(step);
  };
  marker._glide = requestAnimationFrame(step);
  const element = marker.getElement();
  if (element) {
    element.dataset.lat = to[0];
    element.dataset.lng = to[1];
  }
}

/** Chaikin's corner cutting: a street-following trail without the corners GPS noise adds. Ends stay where they are. */
export function smooth(points, rounds = 2) {
  let line = points;
  for (let r = 0; r < rounds && line.length > 2; r++) {
    const next = [line[0]];
    for (let i = 0; i < line.length - 1; i++) {
      const [a, b] = [line[i], line[i + 1]];
      next.push([0.75 * a[0] + 0.25 * b[0], 0.75 * a[1] + 0.25 * b[1]], [0.25 * a[0] + 0.75 * b[0], 0.25 * a[1] + 0.75 * b[1]]);
    }
    next.push(line[line.length - 1]);
    line = next;
  }
  return line;
}

/**
 * Fits the map to the given points (when there are any), not closer than street level; with `animate` false the view
 * jumps instead of gliding, for a map whose markers are clicked (a glide moves them out from under a pointer about to
 * press).
 */
export function fit(map, points, animate = true) {
  const valid = points.filter(Boolean);
  if (valid.length === 1) map.setView(valid[0], 15, { animate });
  else if (valid.length > 1) map.fitBounds(L.latLngBounds(valid), { padding: [40, 40], maxZoom: 16, animate });
}

/** A marker that carries its place in data attributes too (for whoever reads the page without a map). */
export function placeMarker(map, at, icon, title) {
  const marker = L.marker(at, { icon, title, keyboard: false }).addTo(map);
  const element = marker.getElement();
  if (element) {
    element.dataset.lat = at[0];
    element.dataset.lng = at[1];
  }
  return marker;
}

/** Line styles (as Leaflet options: SVG attributes, which the Content-Security-Policy allows). */
export const lines = {
  trail: { className: "trail", color: "#1c7ed6", weight: 4, opacity: 0.75, lineCap: "round", lineJoin: "round" },
  routeLink: { className: "route-link", color: "#1c7ed6", weight: 2, opacity: 0.6, dashArray: "4 6" },
  fullPath: { className: "full-path", color: "#868e96", weight: 3, opacity: 0.5 },
};
