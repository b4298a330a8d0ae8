// The view of a user's key: their conversations, one conversation's items, sending a message with the reply
// streamed in, and their usage and limits.
import { download, json, send, serverEvents } from "./api.js";
import { byId, el, number, show, when } from "./dom.js";

const pageSize = 20;

export function startChat(ui) {
  const listening = new AbortController();
  const on = (element, type, handler) => element.addEventListener(type, handler, { signal: listening.signal });

  const list = byId("conversation-list");
  const more = byId("more-conversations");
  const itemsList = byId("items");
  const modelSelect = byId("model");
  const message = byId("message");
  const sendButton = byId("send");
  const stopButton = byId("stop");

  let nextAfter = null;
  let current = null;
  let turn = null;

  // Failures of anything started from here are shown, never swallowed.
  const guarded = (action) => async (...args) => {
    try {
      ui.clear();
      await action(...args);
    } catch (error) {
      ui.fail(error);
    }
  };

  list.replaceChildren();
  itemsList.replaceChildren();
  closeConversation();
  byId("usage").replaceChildren();
  byId("limits").replaceChildren();
  show(byId("limits-note"), true);

  // ---- Conversations -------------------------------------------------------------------------------------

  function titleOf(conversation) {
    return conversation.metadata?.title?.trim() || "Untitled conversation";
  }

  function listEntry(conversation) {
    const open = el("button", { type: "button", className: "conversation-link" },
      el("span", { className: "conversation-title", textContent: titleOf(conversation) }),
      el("span", { className: "muted small", textContent: when(conversation.created_at) }));
    on(open, "click", guarded(() => openConversation(conversation.id)));
    return el("li", { "data-conversation-id": conversation.id }, open);
  }

  async function loadConversations(after) {
    const query = new URLSearchParams({ limit: String(pageSize) });
    if (after) query.set("after", after);
    const page = await json("GET", `/v1/conversations?${query}`);
    if (!after) list.replaceChildren();
    list.append(...page.data.map(listEntry));
    nextAfter = page.has_more ? page.last_id : null;
    show(more, nextAfter !== null);
    show(byId("no-conversations"), list.children.length === 0);
    markCurrent();
  }

  function markCurrent() {
    for (const entry of list.children) {
      const button = entry.querySelector("button");
      if (entry.dataset.conversationId === current?.id) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    }
  }

  function closeConversation() {
    current = null;
    show(byId("conversation"), false);
    show(byId("no-conversation"), true);
    show(byId("rename-form"), false);
    show(byId("delete-confirm"), false);
  }

  function showConversation(conversation) {
    current = conversation;
    byId("conversation-title").textContent = titleOf(conversation);
    show(byId("no-conversation"), false);
    show(byId("conversation"), true);
    show(byId("rename-form"), false);
    show(byId("delete-confirm"), false);
    const model = conversation.settings?.model;
    if (model && ![...modelSelect.options].some((option) => option.value === model)) {
      modelSelect.append(el("option", { value: model, textContent: model }));
    }
    if (model) modelSelect.value = model;
    markCurrent();
  }

  /** True, after saying so, while a reply is streaming: the page shows one conversation at a time. */
  function answering() {
    if (turn) ui.tell("A reply is still streaming: wait for it to finish, or stop it, first.");
    return turn !== null;
  }

  async function openConversation(id) {
    if (answering()) return;
    const conversation = await json("GET", `/v1/conversations/${encodeURIComponent(id)}`);
    showConversation(conversation);
    await loadItems();
    message.focus();
  }

  on(more, "click", guarded(() => loadConversations(nextAfter)));

  on(byId("new-conversation"), "click", guarded(async () => {
    if (answering()) return;
    const body = modelSelect.value ? { settings: { model: modelSelect.value } } : {};
    const conversation = await json("POST", "/v1/conversations", body);
    list.prepend(listEntry(conversation));
    show(byId("no-conversations"), false);
    showConversation(conversation);
    itemsList.replaceChildren();
    message.focus();
  }));

  on(byId("rename"), "click", () => {
    show(byId("delete-confirm"), false);
    show(byId("rename-form"), true);
    const input = byId("rename-input");
    input.value = current?.metadata?.title ?? "";
    input.focus();
    input.select();
  });
  on(byId("rename-cancel"), "click", () => {
    show(byId("rename-form"), false);
    byId("rename").focus();
  });
  on(byId("rename-form"), "submit", guarded(async (event) => {
    event.preventDefault();
    const title = byId("rename-input").value.trim();
    if (!title || !current) return;
    // Metadata is replaced whole: keep the other keys.
    const metadata = { ...(current.metadata ?? {}), title };
    const updated = await json("POST", `/v1/conversations/${encodeURIComponent(current.id)}`, { metadata });
    showConversation(updated);
    const entry = list.querySelector(`li[data-conversation-id="${CSS.escape(updated.id)}"] .conversation-title`);
    if (entry) entry.textContent = titleOf(updated);
    byId("rename").focus();
  }));

  on(byId("delete"), "click", () => {
    show(byId("rename-form"), false);
    show(byId("delete-confirm"), true);
    byId("delete-no").focus();
  });
  on(byId("delete-no"), "click", () => {
    show(byId("delete-confirm"), false);
    byId("delete").focus();
  });
  on(byId("delete-yes"), "click", guarded(async () => {
    if (!current) return;
    const id = current.id;
    await json("DELETE", `/v1/conversations/${encodeURIComponent(id)}`);
    list.querySelector(`li[data-conversation-id="${CSS.escape(id)}"]`)?.remove();
    show(byId("no-conversations"), list.children.length === 0);
    closeConversation();
    byId("new-conversation").focus();
  }));

  on(byId("export-markdown"), "click", guarded(() => exportAs("markdown", "md")));
  on(byId("export-json"), "click", guarded(() => exportAs("json", "json")));

  async function exportAs(format, extension) {
    if (!current) return;
    const name = await download(`/v1/conversations/${encodeURIComponent(current.id)}/export?format=${format}`, `${current.id}.${extension}`);
    ui.tell(`Exported as ${name}.`);
  }

  // ---- Items ---------------------------------------------------------------------------------------------

  /** All items, oldest first; answers the id of the newest. */
  async function loadItems() {
    const id = current.id;
    const items = [];
    let after = null;
    do {
      const query = new URLSearchParams({ order: "asc", limit: "100" });
      if (after) query.set("after", after);
      const page = await json("GET", `/v1/conversations/${encodeURIComponent(id)}/items?${query}`);
      items.push(...page.data);
      after = page.has_more ? page.last_id : null;
    } while (after);
    if (current?.id !== id) return null;
    itemsList.replaceChildren(...items.map(renderItem));
    scrollToEnd();
    return items.length > 0 ? items[items.length - 1].id : null;
  }

  function scrollToEnd() {
    itemsList.lastElementChild?.scrollIntoView({ block: "end" });
  }

  function roleName(role) {
    return { user: "You", assistant: "Assistant", system: "System", developer: "Developer" }[role] ?? role;
  }

  function statusNote(status) {
    if (status === "incomplete") return el("p", { className: "badge incomplete", textContent: "Incomplete: this reply was cut short." });
    if (status === "in_progress") return el("p", { className: "badge", textContent: "In progress…" });
    return null;
  }

  /** An image as a thumbnail, when its address is one an image may come from; otherwise its address as text. */
  function image(url) {
    if (/^(https?:|data:image\/)/i.test(url)) {
      return el("a", { href: url, target: "_blank", rel: "noopener noreferrer", className: "thumbnail-link" },
        el("img", { src: url, alt: "Image sent with the message", className: "thumbnail", loading: "lazy" }));
    }
    return el("p", { className: "muted", textContent: `Image: ${url}` });
  }

  function part(content) {
    switch (content.type) {
      case "input_text":
      case "output_text":
        return el("p", { className: "text", textContent: content.text });
      case "input_image":
        return image(content.image_url ?? "");
      case "input_file":
        return el("p", { className: "muted", textContent: `File: ${content.filename ?? "(unnamed)"}` });
      case "refusal":
        return el("p", { className: "text refusal", textContent: `Refused: ${content.refusal}` });
      default:
        return el("p", { className: "muted", textContent: `(${content.type})` });
    }
  }

  function block(summary, body) {
    return el("details", { className: "tool" }, el("summary", { textContent: summary }), el("pre", { textContent: body }));
  }

  function renderItem(item) {
    const entry = el("li", { className: `item ${item.type}`, "data-item-id": item.id, "data-status": item.status ?? "completed" });
    switch (item.type) {
      case "message":
        entry.classList.add(`role-${item.role}`);
        entry.append(el("p", { className: "role", textContent: roleName(item.role) }), ...(item.content ?? []).map(part));
        break;
      case "function_call":
        entry.append(block(`Function call: ${item.name}`, item.arguments ?? ""));
        break;
      case "function_call_output":
        entry.append(block(`Function output for ${item.call_id}`, item.output ?? ""));
        break;
      case "compaction":
        // The summary the model is sent from here on in place of everything above it (readable, not encrypted).
        entry.append(block("Compaction: the summary of everything above", item.encrypted_content ?? ""));
        break;
      default:
        entry.append(block(item.type ?? "Item", JSON.stringify(item, null, 2)));
    }
    const note = statusNote(item.status);
    if (note) entry.append(note);
    return entry;
  }

  // ---- Sending ------------------------------------------------------------------------------------------

  on(message, "keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      byId("composer").requestSubmit();
    }
  });

  on(byId("composer"), "submit", guarded(async (event) => {
    event.preventDefault();
    const text = message.value;
    if (!text.trim() || !current || turn) return;
    await stream(text);
  }));

  on(stopButton, "click", () => turn?.controller.abort());

  /** A reply being written into the page as it streams: one element per output item. */
  function streamingReply() {
    const outputs = new Map();
    const entry = el("li", { className: "item message role-assistant streaming", "data-status": "in_progress" },
      el("p", { className: "role", textContent: "Assistant" }));
    itemsList.append(entry);

    function textOf(itemId) {
      let node = outputs.get(itemId);
      if (!node) {
        const paragraph = el("p", { className: "text" });
        node = document.createTextNode("");
        paragraph.append(node);
        entry.append(paragraph);
        outputs.set(itemId, node);
      }
      return node;
    }

    return {
      entry,
      appendText(itemId, delta) {
        textOf(itemId).appendData(delta);
        scrollToEnd();
      },
      appendCall(itemId, name, delta) {
        let pre = outputs.get(itemId);
        if (!pre) {
          const details = block(`Function call: ${name ?? ""}`, "");
          entry.append(details);
          pre = details.querySelector("pre");
          outputs.set(itemId, pre);
        }
        pre.append(document.createTextNode(delta));
      },
      stopped() {
        entry.dataset.status = "incomplete";
        entry.append(el("p", { className: "badge incomplete", textContent: "Stopped: this reply is incomplete." }));
      },
    };
  }

  function setBusy(busy) {
    sendButton.disabled = busy;
    stopButton.disabled = !busy;
    modelSelect.disabled = busy;
  }

  async function stream(text) {
    const conversation = current;
    const previousLast = [...itemsList.querySelectorAll("li[data-item-id]")].pop()?.dataset.itemId ?? null;
    const controller = new AbortController();
    turn = { controller };
    setBusy(true);
    itemsList.append(el("li", { className: "item message role-user pending" },
      el("p", { className: "role", textContent: roleName("user") }), el("p", { className: "text", textContent: text })));
    const reply = streamingReply();
    scrollToEnd();
    let stopped = false;
    let failure = null;
    try {
      const response = await send("POST", "/v1/responses",
        { conversation: conversation.id, input: text, model: modelSelect.value || undefined, stream: true },
        { signal: controller.signal, accept: "text/event-stream" });
      message.value = "";
      for await (const { event, data } of serverEvents(response)) {
        const type = data?.type ?? event;
        if (type === "response.output_text.delta" || type === "response.refusal.delta") {
          reply.appendText(data.item_id, data.delta);
        } else if (type === "response.output_item.added" && data.item?.type === "function_call") {
          reply.appendCall(data.item.id, data.item.name, "");
        } else if (type === "response.function_call_arguments.delta") {
          reply.appendCall(data.item_id, null, data.delta);
        } else if (type === "error" || data?.error) {
          failure = new Error(data.message ?? data.error?.message ?? "The reply failed.");
        } else if (type === "response.failed" && !failure) {
          failure = new Error(data.response?.error?.message ?? "The reply failed.");
        }
      }
    } catch (error) {
      if (error.name === "AbortError") {
        stopped = true;
        reply.stopped();
      } else {
        reply.entry.remove();
        itemsList.querySelector("li.pending")?.remove();
        throw error;
      }
    } finally {
      turn = null;
      setBusy(false);
    }
    if (failure) ui.tell(`The reply failed: ${failure.message}`);
    if (current?.id === conversation.id) await showStoredTurn(previousLast, stopped);
    refreshUsage().catch(ui.fail);
    message.focus();
  }

  /**
   * Shows the turn as the service stored it. A stopped turn is stored a moment after the stream ends (the
   * service first notices that the reply was abandoned), so look again a few times until it is there.
   */
  async function showStoredTurn(previousLast, stopped) {
    for (let attempt = 0; attempt < (stopped ? 20 : 1); attempt++) {
      const last = await loadItems();
      if (last !== previousLast) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  // ---- Models, usage and limits ---------------------------------------------------------------------------

  async function loadModels() {
    const models = await json("GET", "/v1/models");
    const chosen = modelSelect.value;
    modelSelect.replaceChildren(...models.data.map((model) => el("option", { value: model.id, textContent: model.id })));
    if (chosen && models.data.some((model) => model.id === chosen)) modelSelect.value = chosen;
  }

  function totals(target, label, usage) {
    target.append(el("dt", { textContent: label }),
      el("dd", { textContent: `${number(usage.requests)} requests, ${number(usage.total_tokens)} tokens (${number(usage.prompt_tokens)} in, ${number(usage.completion_tokens)} out)` }));
  }

  async function refreshUsage() {
    const usage = await json("GET", "/v1/usage");
    const target = byId("usage");
    target.replaceChildren();
    totals(target, "Today (UTC)", usage.today);
    totals(target, "In total", usage.total);
    showLimits(usage.limits ?? {});
  }

  /** The user's limits, as GET /v1/usage reports them (null: no limit). */
  function showLimits(limits) {
    const target = byId("limits");
    target.replaceChildren();
    for (const [field, label] of [["requests_per_minute", "Requests per minute"], ["tokens_per_day", "Tokens per day"], ["concurrent_streams", "Concurrent streams"]]) {
      const value = limits[field];
      target.append(el("dt", { textContent: label }), el("dd", { textContent: value === null || value === undefined ? "no limit" : number(value) }));
    }
    show(byId("limits-note"), false);
  }

  on(byId("refresh-usage"), "click", guarded(refreshUsage));

  // ---- Start --------------------------------------------------------------------------------------------

  guarded(async () => {
    await Promise.all([loadModels(), loadConversations(null), refreshUsage()]);
  })();

  return {
    stop() {
      turn?.controller.abort();
      listening.abort();
      list.replaceChildren();
      itemsList.replaceChildren();
      closeConversation();
    },
  };
}
