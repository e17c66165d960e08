// Who uses the page: their bearer token, the API calls made with it, and signing in when there is none.
import { t, translatePage } from "./i18n.js";

const TOKEN_KEY = "xt.accessToken";

/** An app that opens a page passes the token in the fragment (never sent to a server); it is kept for this tab only. */
function takeTokenFromUrl() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get("access_token");
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  fragment.delete("access_token");
  const rest = fragment.toString();
  history.replaceState(null, "", location.pathname + location.search + (rest ? "#" + rest : ""));
}

takeTokenFromUrl();

// A share link (/t/{token}) carries its own token in its path: this page uses it for its calls and keeps nothing.
const shareToken = location.pathname.startsWith("/t/") ? decodeURIComponent(location.pathname.split("/")[2] ?? "") : null;

/** Whether the page was opened by a share link (read-only, one order, nothing personal). */
export const isSharedView = () => shareToken !== null;

export const accessToken = () => shareToken ?? sessionStorage.getItem(TOKEN_KEY);

export const settings = fetch("/pages/settings").then((response) => response.json());

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** Calls the API as the signed-in user; problem+json answers become an ApiError, 401 asks to sign in again. */
export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${accessToken()}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 && !shareToken) {
    sessionStorage.removeItem(TOKEN_KEY);
    await signIn();
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  return response.status === 204 ? null : response.json();
}

/**
 * Shows the sign-in panel and never returns: the page reloads once a token is set. In Development the panel can
 * also ask the host for a development token of any role.
 */
export async function signIn(defaultRole = "ops") {
  const { developmentTokens } = await settings;
  const panel = document.createElement("section");
  panel.className = "sign-in";
  panel.innerHTML = `
    <form class="card" id="token-form">
      <h2 data-i18n="signIn"></h2>
      <p data-i18n="signInHint"></p>
      <label><span data-i18n="token"></span><textarea name="token" rows="3" required></textarea></label>
      <button type="submit" data-i18n="useToken"></button>
    </form>
    <form class="card" id="dev-token-form" hidden>
      <h2 data-i18n="devToken"></h2>
      <label><span data-i18n="role"></span>
        <select name="role"><option>ops</option><option>customer</option><option>rider</option><option>warehouse</option></select></label>
      <label><span data-i18n="subject"></span><input name="subject" value="ops-demo" required></label>
      <label><span data-i18n="warehouse"></span><input name="warehouseId" value="wh-pudong-01"></label>
      <button type="submit" data-i18n="devToken"></button>
    </form>`;
  document.body.append(panel);
  const tokenForm = panel.querySelector("#token-form");
  const devForm = panel.querySelector("#dev-token-form");
  devForm.hidden = !developmentTokens;
  devForm.role.value = defaultRole;
  translatePage();
  const use = (token) => {
    sessionStorage.setItem(TOKEN_KEY, token.trim());
    location.reload();
  };
  tokenForm.addEventListener("submit", (e) => { e.preventDefault(); use(tokenForm.token.value); });
  devForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const request = { role: devForm.role.value, subject: devForm.subject.value };
    if (request.role === "warehouse") request.warehouseId = devForm.warehouseId.value;
    const response = await fetch("/api/dev/tokens", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request),
    });
    if (response.ok) use((await response.json()).accessToken);
  });
  return new Promise(() => {});
}

/** The page's caller must have a token; otherwise it signs in first. */
export async function requireToken(defaultRole) {
  if (!accessToken() && !shareToken) await signIn(defaultRole);
}

export const shortId = (id) => id.slice(-8);
