// The console's entry point: signing in and out, which view shows, and how failures are told.
import { ApiError, describe, forgetKey, savedKey, saveKey, send } from "./api.js";
import { byId, show } from "./dom.js";
import { startChat } from "./chat.js";
import { startAdmin } from "./admin.js";

export const revokedMessage = "Key revoked or invalid — sign in again.";

const signIn = byId("sign-in");
const userView = byId("user-view");
const adminView = byId("admin-view");
const signOutButton = byId("sign-out");
const signedInAs = byId("signed-in-as");
const notice = byId("notice");

/** What the views share: telling the person what happened, and ending the session when the key stops working. */
const ui = {
  /** Shows a failure in words. A 401 means the key no longer works: the session ends and says so. */
  fail(error) {
    if (error?.name === "AbortError") return;
    if (error instanceof ApiError && error.status === 401) {
      signOut(revokedMessage);
      return;
    }
    tell(describe(error));
  },
  tell,
  clear() {
    show(notice, false);
  },
};

function tell(text) {
  byId("notice-text").textContent = text;
  show(notice, true);
}

byId("notice-close").addEventListener("click", () => show(notice, false));

/**
 * Which kind of key this is: the admin key may list users, a user's key is refused there with 403, and a
 * key that is unknown or revoked with 401.
 */
async function roleOf() {
  try {
    await send("GET", "/v1/admin/users");
    return "admin";
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return "user";
    throw error;
  }
}

let session = null;

async function enter() {
  const role = await roleOf();
  session?.stop();
  show(signIn, false);
  show(signOutButton, true);
  signedInAs.textContent = role === "admin" ? "Signed in with the admin key" : "Signed in with a user key";
  show(signedInAs, true);
  show(adminView, role === "admin");
  show(userView, role === "user");
  session = role === "admin" ? startAdmin(ui) : startChat(ui);
}

function signOut(message = "") {
  forgetKey();
  session?.stop();
  session = null;
  show(userView, false);
  show(adminView, false);
  show(signOutButton, false);
  show(signedInAs, false);
  show(notice, false);
  byId("sign-in-error").textContent = message;
  show(signIn, true);
  byId("key-input").value = "";
  byId("key-input").focus();
}

byId("sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = byId("key-input");
  const key = input.value.trim();
  if (!key) return;
  saveKey(key);
  byId("sign-in-error").textContent = "";
  try {
    await enter();
    input.value = "";
  } catch (error) {
    forgetKey();
    byId("sign-in-error").textContent = error instanceof ApiError && error.status === 401
      ? "This key is not valid: it is unknown or was revoked."
      : describe(error);
    input.focus();
  }
});

signOutButton.addEventListener("click", () => signOut());

if (savedKey()) {
  enter().catch((error) => {
    if (error instanceof ApiError && error.status === 401) signOut(revokedMessage);
    else {
      signOut();
      byId("sign-in-error").textContent = describe(error);
    }
  });
} else {
  signOut();
}
