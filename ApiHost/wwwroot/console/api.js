// Calls to this service. The key lives in sessionStorage (this tab only) and travels only in the
// Authorization header: never in a URL, so it cannot end up in a log, the history or a Referer.

const keyName = "conversations.key";

export function savedKey() {
  return sessionStorage.getItem(keyName);
}

export function saveKey(key) {
  sessionStorage.setItem(keyName, key);
}

export function forgetKey() {
  sessionStorage.removeItem(keyName);
}

/** A refusal from the service: its status, OpenAI's error envelope, and how long to wait when it is a 429. */
export class ApiError extends Error {
  constructor(status, message, code, waitSeconds) {
    super(message);
    this.status = status;
    this.code = code;
    this.waitSeconds = waitSeconds;
  }
}

/** The service could not be reached at all (it is down, or the network is). */
export class Unreachable extends Error {}

function headers(extra = {}) {
  const key = savedKey();
  return key ? { Authorization: `Bearer ${key}`, ...extra } : extra;
}

/**
 * Sends a request and answers the response when it succeeded; throws ApiError (with the service's own words)
 * when it did not. `body` is sent as JSON.
 */
export async function send(method, path, body, { signal, accept } = {}) {
  const extra = {};
  if (body !== undefined) extra["Content-Type"] = "application/json";
  if (accept) extra.Accept = accept;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: headers(extra),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: "no-store",
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new Unreachable("The service could not be reached. Check that it is running, then try again.");
  }
  if (!response.ok) throw await refusal(response);
  return response;
}

export async function json(method, path, body) {
  const response = await send(method, path, body);
  return response.json();
}

async function refusal(response) {
  let message = `The service answered ${response.status} ${response.statusText}.`;
  let code = null;
  try {
    const envelope = await response.json();
    if (envelope?.error?.message) message = envelope.error.message;
    code = envelope?.error?.code ?? null;
  } catch {
    // Not JSON: the status line says what there is to say.
  }
  return new ApiError(response.status, message, code, response.status === 429 ? waitOf(response.headers) : null);
}

/** Seconds to wait before trying again: Retry-After (or its -ms form), else OpenAI's x-ratelimit-reset-* durations. */
export function waitOf(responseHeaders) {
  const ms = Number(responseHeaders.get("retry-after-ms"));
  if (ms > 0) return Math.ceil(ms / 1000);
  const retryAfter = responseHeaders.get("retry-after");
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(1, Math.ceil((date - Date.now()) / 1000));
  }
  const resets = ["x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"]
    .map((name) => duration(responseHeaders.get(name)))
    .filter((seconds) => seconds !== null);
  return resets.length > 0 ? Math.max(1, Math.ceil(Math.max(...resets))) : null;
}

/** OpenAI's durations: "1s", "6m0s", "20ms", "1h2m3.5s". */
export function duration(text) {
  if (!text) return null;
  const match = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:([\d.]+)s)?(?:(\d+)ms)?$/.exec(text.trim());
  if (!match || text.trim() === "") return null;
  const [, hours, minutes, seconds, millis] = match;
  return (Number(hours ?? 0) * 3600) + (Number(minutes ?? 0) * 60) + Number(seconds ?? 0) + (Number(millis ?? 0) / 1000);
}

/** What went wrong, in words a person can act on. */
export function describe(error) {
  if (error instanceof ApiError) {
    if (error.status === 429) {
      const wait = error.waitSeconds;
      const when = wait === null ? "Try again later." : `Try again in ${wait} second${wait === 1 ? "" : "s"}.`;
      return `Too many requests: ${error.message} ${when}`;
    }
    if (error.status === 409 && error.code === "conversation_busy") {
      return "This conversation is still answering an earlier message. Wait for it to finish, then send again.";
    }
    return `${error.message} (HTTP ${error.status}${error.code ? `, ${error.code}` : ""})`;
  }
  if (error instanceof Unreachable) return error.message;
  return `Something went wrong in the console: ${error?.message ?? error}`;
}

/**
 * The server-sent events of a streamed response, as {event, data} with data parsed as JSON, read from
 * fetch's body (EventSource cannot send the Authorization header).
 */
export async function* serverEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const parsed = parseEvent(block);
        if (parsed) yield parsed;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

function parseEvent(block) {
  let event = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0) return null;
  const text = data.join("\n");
  try {
    return { event, data: JSON.parse(text) };
  } catch {
    return { event, data: text };
  }
}

/** Fetches a file with the key in the header and hands it to the browser as a download (never a URL with the key). */
export async function download(path, fallbackName) {
  const response = await send("GET", path);
  const blob = await response.blob();
  const name = fileName(response.headers.get("content-disposition")) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}

function fileName(disposition) {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : null;
}
