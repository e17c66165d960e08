// Labels in Chinese (the seed's, the default) and English; the choice is remembered per browser.
const LANGUAGE_KEY = "xt.language";

const labels = {
  zh: {
    "status.1": "待支付", "status.2": "仓库处理中", "status.3": "配送中", "status.4": "已送达", "status.5": "已取消",
    "event.OrderPlaced": "已下单", "event.OrderPaid": "已支付", "event.WarehouseReceived": "仓库已接单",
    "event.WarehousePicking": "拣货中", "event.WarehousePacked": "已打包", "event.WarehouseHandedOver": "已交给骑手",
    "event.OrderPicked": "拣货完成", "event.RiderAssigned": "骑手已接单", "event.ArrivedAtWarehouse": "骑手已到店",
    "event.ArrivedAtCustomer": "骑手已到达", "event.OrderDelivered": "已送达", "event.OrderCancelled": "已取消",
    "alert.Stall": "长时间停留", "alert.Offline": "骑手离线", "alert.Deviation": "偏离路线",
    "alert.TimeoutWarning": "即将超时", "alert.Timeout": "已超时",
    "alertStatus.Open": "待处理", "alertStatus.Acknowledged": "处理中", "alertStatus.Resolved": "已解决",
    "raised": "告警", "resolved": "解除",
    "online": "实时更新中", "reconnecting": "连接中断，正在重连…", "offline": "离线，正在重连…",
    "eta": "预计 {at} 送达", "etaRange": "（{from}–{to}）", "etaLearned": "根据本区域历史配送估算",
    "toCollect": "骑手正在前往仓库取货",
    "timeline": "订单进度", "rider": "骑手", "followRider": "跟随骑手", "destination": "收货地址", "warehouse": "仓库",
    "notFound": "找不到这个订单。", "signIn": "登录", "signInHint": "请粘贴访问令牌（或由应用打开此页面）。",
    "token": "访问令牌", "useToken": "使用令牌", "devToken": "获取开发令牌", "role": "角色", "subject": "账号",
    "activeOrders": "进行中订单", "activeRiders": "在线骑手", "openAlerts": "未解决告警", "alerts": "告警",
    "acknowledge": "确认", "resolve": "解决", "noAlerts": "没有未解决的告警", "orderDetail": "订单详情",
    "customerView": "客户页面", "replay": "轨迹回放", "close": "关闭", "free": "空闲", "carrying": "配送中",
    "play": "播放", "pause": "暂停", "speed": "倍速", "points": "{n} 个定位点", "noTrajectory": "这个订单还没有轨迹。",
    "order": "订单", "statusLabel": "状态", "language": "English",
    "findOrder": "查找订单", "anyStatus": "全部状态", "customer": "客户", "placedFrom": "下单时间从", "placedTo": "下单时间到",
    "search": "查找", "noOrdersFound": "没有符合条件的订单", "more": "更多", "linkExpired": "这个链接已失效。",
    "reason.Stalled": "{minutes} 分钟内移动不到 {meters} 米", "reason.NoPosition": "{at} 起没有收到定位",
    "reason.OffRoute": "偏离配送路线 {meters} 米（连续 {fixes} 个定位点）", "reason.MovingAway": "正在远离客户：{fixes} 个定位点内远离了 {meters} 米",
    "reason.DueSoon": "承诺 {promised} 送达（告警时还剩 {minutes} 分钟）", "reason.Late": "未在承诺的 {promised} 前送达",
    "retroactive": "（发生于 {at}，由补传的定位发现）",
    "error.invalid": "请求的内容有误。", "error.forbidden": "没有权限执行这个操作。", "error.notFound": "找不到，可能已被删除。",
    "error.conflict": "状态已经变化，请刷新后重试。", "error.tooMany": "操作太频繁，请稍后再试。", "error.server": "服务器暂时无法处理，请稍后再试。",
    "error.network": "网络连接失败，请稍后再试。",
  },
  en: {
    "status.1": "Awaiting payment", "status.2": "Preparing at the warehouse", "status.3": "Out for delivery",
    "status.4": "Delivered", "status.5": "Cancelled",
    "event.OrderPlaced": "Order placed", "event.OrderPaid": "Paid", "event.WarehouseReceived": "Warehouse received it",
    "event.WarehousePicking": "Picking", "event.WarehousePacked": "Packed", "event.WarehouseHandedOver": "Handed to the rider",
    "event.OrderPicked": "Picking done", "event.RiderAssigned": "Rider assigned", "event.ArrivedAtWarehouse": "Rider at the warehouse",
    "event.ArrivedAtCustomer": "Rider has arrived", "event.OrderDelivered": "Delivered", "event.OrderCancelled": "Cancelled",
    "alert.Stall": "Stalled", "alert.Offline": "Rider offline", "alert.Deviation": "Off route",
    "alert.TimeoutWarning": "About to be late", "alert.Timeout": "Late",
    "alertStatus.Open": "Open", "alertStatus.Acknowledged": "Acknowledged", "alertStatus.Resolved": "Resolved",
    "raised": "alert", "resolved": "cleared",
    "online": "Live", "reconnecting": "Connection lost, reconnecting…", "offline": "Offline, reconnecting…",
    "eta": "Arriving around {at}", "etaRange": " ({from}–{to})", "etaLearned": "estimated from past deliveries nearby",
    "toCollect": "Your rider is on the way to collect it at the warehouse",
    "timeline": "Progress", "rider": "Rider", "followRider": "Follow the rider", "destination": "Delivery address", "warehouse": "Warehouse",
    "notFound": "This order was not found.", "signIn": "Sign in", "signInHint": "Paste an access token (or open this page from the app).",
    "token": "Access token", "useToken": "Use token", "devToken": "Get a development token", "role": "Role", "subject": "Account",
    "activeOrders": "Active orders", "activeRiders": "Riders online", "openAlerts": "Open alerts", "alerts": "Alerts",
    "acknowledge": "Acknowledge", "resolve": "Resolve", "noAlerts": "No open alerts", "orderDetail": "Order",
    "customerView": "Customer page", "replay": "Replay", "close": "Close", "free": "free", "carrying": "delivering",
    "play": "Play", "pause": "Pause", "speed": "Speed", "points": "{n} fixes", "noTrajectory": "This order has no trajectory yet.",
    "order": "Order", "statusLabel": "Status", "language": "中文",
    "findOrder": "Find an order", "anyStatus": "Any status", "customer": "Customer", "placedFrom": "Placed from", "placedTo": "Placed before",
    "search": "Search", "noOrdersFound": "No orders match", "more": "More", "linkExpired": "This link is no longer valid.",
    "reason.Stalled": "Moved less than {meters} m in {minutes} min", "reason.NoPosition": "No position since {at}",
    "reason.OffRoute": "{meters} m off the route for {fixes} fixes", "reason.MovingAway": "Moving away from the customer: {meters} m farther over {fixes} fixes",
    "reason.DueSoon": "Promised for {promised}, {minutes} min left when raised", "reason.Late": "Not delivered by the promised {promised}",
    "retroactive": " (at {at}, found in positions uploaded late)",
    "error.invalid": "The request was not valid.", "error.forbidden": "You are not allowed to do this.", "error.notFound": "Not found; it may have been removed.",
    "error.conflict": "It has changed meanwhile; reload and try again.", "error.tooMany": "Too many requests; try again shortly.", "error.server": "The server could not handle it; try again shortly.",
    "error.network": "The network failed; try again shortly.",
  },
};

let language = localStorage.getItem(LANGUAGE_KEY) === "en" ? "en" : "zh";
const listeners = [];

export function t(key, values = {}) {
  const text = labels[language][key] ?? labels.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

export const currentLanguage = () => language;

/** Fills every [data-i18n] element and calls back whoever draws text themselves. */
export function translatePage() {
  document.documentElement.lang = language === "zh" ? "zh-CN" : "en";
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
  for (const listener of listeners) listener();
}

export function onLanguageChange(listener) {
  listeners.push(listener);
}

/** A button that switches between Chinese and English. */
export function languageToggle(button) {
  button.addEventListener("click", () => {
    language = language === "zh" ? "en" : "zh";
    localStorage.setItem(LANGUAGE_KEY, language);
    translatePage();
  });
}

export const clock = (iso) =>
  new Date(iso).toLocaleTimeString(language === "zh" ? "zh-CN" : "en-GB", { hour: "2-digit", minute: "2-digit" });

export const dayAndClock = (iso) =>
  new Date(iso).toLocaleString(language === "zh" ? "zh-CN" : "en-GB", { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });

export const clockWithSeconds = (iso) =>
  new Date(iso).toLocaleTimeString(language === "zh" ? "zh-CN" : "en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/**
 * An alert's facts in the viewer's language and time zone; an alert without facts (stored before alerts carried them,
 * or with a reason this page does not know) shows the server's English sentence.
 */
export function alertText(alert) {
  const facts = alert.facts;
  if (!facts || !labels[language]["reason." + facts.reason]) return alert.detail;
  const text = t("reason." + facts.reason, {
    meters: facts.meters, minutes: facts.minutes, fixes: facts.fixes,
    at: facts.at ? clock(facts.at) : "", promised: facts.promisedAt ? clock(facts.promisedAt) : "",
  });
  return alert.retroactive && facts.at ? text + t("retroactive", { at: clock(facts.at) }) : text;
}

/** What went wrong with a request, in the viewer's language (the server's problem details are for developers). */
export function errorText(error) {
  const status = error?.status;
  if (status === 400) return t("error.invalid");
  if (status === 403) return t("error.forbidden");
  if (status === 404) return t("error.notFound");
  if (status === 409) return t("error.conflict");
  if (status === 429) return t("error.tooMany");
  if (status >= 500) return t("error.server");
  return t("error.network");
}

/** A timeline event's label: order events, warehouse stages, and alerts ("StallAlertRaised"). */
export function eventLabel(event) {
  const alert = /^(\w+?)Alert(Raised|Resolved)$/.exec(event);
  if (alert) return `${t("alert." + alert[1])} · ${t(alert[2] === "Raised" ? "raised" : "resolved")}`;
  return t("event." + event);
}
