// The live connection: one hub connection that follows orders by the resync protocol of docs/api.md, reconnects by
// itself for as long as the page is open, and says when it is online, reconnecting or offline.
import { accessToken } from "./session.js";

/**
 * @param subscribe  (hub, held) => Promise: (re)subscribes to what the page follows; called after every (re)connect.
 * @param onChange   (state, update) => void: an order's state after a snapshot or delta was applied.
 * @param onRemoved  (orderId) => void: the order is no longer visible to this caller.
 * @param onConnection (state) => void: "online", "reconnecting" or "offline".
 * @param onRefused  () => void, optional: the server refuses the token (401); given, the page stops reconnecting.
 */
export function connectLive({ subscribe, onChange, onRemoved = () => {}, onConnection = () => {}, onRefused = null }) {
  const held = new Map();
  const hub = new signalR.HubConnectionBuilder()
    .withUrl("/hubs/tracking", { accessTokenFactory: () => accessToken() })
    // Never give up: 0, 1, 2, 4, 8 s, then every 10 s.
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (retry) => [0, 1000, 2000, 4000, 8000][retry.previousRetryCount] ?? 10_000 })
    // The page shows the connection's state itself; the client logs only what it cannot recover from.
    .configureLogging(signalR.LogLevel.Critical)
    .build();
  hub.serverTimeoutInMilliseconds = 30_000;

  const resync = (orderId) => hub.invoke("SubscribeOrder", orderId, held.get(orderId)?.trackingVersion ?? null).catch(() => {});

  hub.on("OrderUpdated", (update) => {
    const state = held.get(update.orderId);
    if (update.snapshot) {
      held.set(update.orderId, { ...update });
    } else if (state && update.trackingVersion === state.trackingVersion + 1) {
      const next = { ...state, trackingVersion: update.trackingVersion };
      for (const [key, value] of Object.entries(update)) {
        if (value !== null && key !== "snapshot" && key !== "cleared") next[key] = value;
      }
      for (const key of update.cleared ?? []) delete next[key];
      held.set(update.orderId, next);
    } else if (!state || update.trackingVersion > state.trackingVersion + 1) {
      resync(update.orderId);
      return;
    } else {
      return; // Already applied.
    }
    onChange(held.get(update.orderId), update);
  });
  hub.on("OrderRemoved", (orderId) => {
    held.delete(orderId);
    onRemoved(orderId);
  });
  hub.on("Versions", (versions) => {
    for (const [orderId, version] of Object.entries(versions)) {
      if ((held.get(orderId)?.trackingVersion ?? -1) < version) resync(orderId);
    }
  });

  let connected = false;
  const ready = async () => {
    connected = true;
    onConnection("online");
    await subscribe(hub, held);
  };
  hub.onreconnecting(() => { connected = false; onConnection("reconnecting"); });
  hub.onreconnected(() => ready().catch(() => {}));
  hub.onclose(() => { connected = false; onConnection("offline"); setTimeout(start, 2000); });

  let refused = false;
  async function start() {
    if (refused) return;
    try {
      await hub.start();
    } catch (error) {
      // The client wraps the negotiation's answer in its own error, keeping the status only in the message.
      if (onRefused && (error?.statusCode === 401 || /Status code '401'/.test(String(error?.message)))) {
        refused = true;
        onRefused();
        return;
      }
      onConnection("offline");
      setTimeout(start, 2000);
      return;
    }
    await ready().catch(() => {});
  }

  start();
  return { hub, held, resync, isConnected: () => connected };
}

/**
 * Shows the connection state in an element (class and text), translated by the caller's t; without a state, shows
 * the element's last one again (after a language change), and nothing before the connection has one.
 */
export function showConnection(element, t, state = element.dataset.state) {
  if (!state) return;
  element.className = `connection ${state}`;
  element.dataset.state = state;
  element.textContent = t(state);
}
