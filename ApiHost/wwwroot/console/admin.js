// The view of the admin key: users with their limits and usage, creating users, and issuing, listing and
// revoking their keys.
import { json } from "./api.js";
import { byId, el, number, show, when } from "./dom.js";

export function startAdmin(ui) {
  const listening = new AbortController();
  const on = (element, type, handler) => element.addEventListener(type, handler, { signal: listening.signal });

  const rows = byId("users");
  let keysOf = null;

  const guarded = (action) => async (...args) => {
    try {
      ui.clear();
      await action(...args);
    } catch (error) {
      ui.fail(error);
    }
  };

  rows.replaceChildren();
  hideIssued();
  show(byId("keys"), false);

  function limit(value) {
    return value === null || value === undefined ? "default" : value === 0 ? "unlimited" : number(value);
  }

  function usageText(totals) {
    return totals ? `${number(totals.requests)} req, ${number(totals.total_tokens)} tok` : "—";
  }

  function userRow(user, usage) {
    const showKeys = el("button", { type: "button", textContent: "Keys", "aria-label": `Keys of ${user.name}` });
    on(showKeys, "click", guarded(() => loadKeys(user)));
    const issue = el("button", { type: "button", textContent: "Issue key", "aria-label": `Issue a key for ${user.name}` });
    on(issue, "click", guarded(() => issueKey(user)));
    return el("tr", { "data-user-id": user.id },
      el("th", { scope: "row" }, el("span", { textContent: user.name }), el("br"), el("span", { className: "muted small", textContent: user.id })),
      el("td", { textContent: limit(user.limits?.requests_per_minute) }),
      el("td", { textContent: limit(user.limits?.tokens_per_day) }),
      el("td", { textContent: limit(user.limits?.concurrent_streams) }),
      el("td", { textContent: usageText(usage?.today) }),
      el("td", { textContent: usageText(usage?.total) }),
      el("td", {}, el("div", { className: "row-actions" }, showKeys, issue)));
  }

  async function loadUsers() {
    const [users, usage] = await Promise.all([json("GET", "/v1/admin/users"), json("GET", "/v1/admin/usage")]);
    const byUser = new Map(usage.data.map((report) => [report.user_id, report]));
    rows.replaceChildren(...users.data.map((user) => userRow(user, byUser.get(user.id))));
  }

  function keyRow(key) {
    const revoked = key.revoked_at !== null && key.revoked_at !== undefined;
    const cells = [
      el("td", {}, el("code", { textContent: `${key.prefix}…` }), el("br"), el("span", { className: "muted small", textContent: key.id })),
      el("td", { textContent: when(key.created_at) }),
      el("td", { textContent: revoked ? `Revoked ${when(key.revoked_at)}` : "Active" }),
    ];
    const action = el("td");
    if (!revoked) {
      const revoke = el("button", { type: "button", textContent: "Revoke", "aria-label": `Revoke key ${key.prefix}` });
      on(revoke, "click", guarded(async () => {
        await json("DELETE", `/v1/admin/keys/${encodeURIComponent(key.id)}`);
        ui.tell(`Key ${key.prefix}… is revoked: it no longer works anywhere.`);
        await loadKeys(keysOf);
      }));
      action.append(revoke);
    }
    return el("tr", { "data-key-id": key.id, "data-revoked": String(revoked) }, ...cells, action);
  }

  async function loadKeys(user) {
    const keys = await json("GET", `/v1/admin/users/${encodeURIComponent(user.id)}/keys`);
    keysOf = user;
    byId("keys-of").textContent = user.name;
    byId("key-rows").replaceChildren(...keys.data.map(keyRow));
    if (keys.data.length === 0) {
      byId("key-rows").append(el("tr", {}, el("td", { colSpan: 4, className: "muted", textContent: "No keys yet." })));
    }
    show(byId("keys"), true);
  }

  async function issueKey(user) {
    const issued = await json("POST", `/v1/admin/users/${encodeURIComponent(user.id)}/keys`);
    byId("issued-for").textContent = user.name;
    const field = byId("issued-key");
    field.value = issued.key;
    byId("copy-status").textContent = "";
    show(byId("issued"), true);
    field.focus();
    field.select();
    await loadKeys(user);
  }

  function hideIssued() {
    byId("issued-key").value = "";
    byId("copy-status").textContent = "";
    show(byId("issued"), false);
  }

  on(byId("copy-key"), "click", async () => {
    const field = byId("issued-key");
    try {
      await navigator.clipboard.writeText(field.value);
      byId("copy-status").textContent = "Copied.";
    } catch {
      // The clipboard API needs a secure context (https or localhost); otherwise leave it selected to copy by hand.
      field.focus();
      field.select();
      byId("copy-status").textContent = "Selected: press Ctrl+C (or ⌘C) to copy.";
    }
  });
  // The key leaves the page once the admin is done with it.
  on(byId("issued-done"), "click", () => {
    hideIssued();
    byId("issue-key").focus();
  });
  on(byId("issue-key"), "click", guarded(() => keysOf && issueKey(keysOf)));
  on(byId("refresh-users"), "click", guarded(loadUsers));

  on(byId("create-user-form"), "submit", guarded(async (event) => {
    event.preventDefault();
    const name = byId("user-name").value.trim();
    if (!name) return;
    const limits = {};
    for (const [id, field] of [["limit-rpm", "requests_per_minute"], ["limit-tpd", "tokens_per_day"], ["limit-streams", "concurrent_streams"]]) {
      const value = byId(id).value.trim();
      if (value !== "") limits[field] = Number(value);
    }
    const body = Object.keys(limits).length > 0 ? { name, limits } : { name };
    const user = await json("POST", "/v1/admin/users", body);
    event.target.reset();
    ui.tell(`User ${user.name} is created. Issue a key for them below.`);
    await loadUsers();
    rows.querySelector(`tr[data-user-id="${CSS.escape(user.id)}"] button`)?.focus();
  }));

  guarded(loadUsers)();

  return {
    stop() {
      listening.abort();
      hideIssued();
      rows.replaceChildren();
      byId("key-rows").replaceChildren();
      show(byId("keys"), false);
    },
  };
}
