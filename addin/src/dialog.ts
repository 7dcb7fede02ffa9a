/**
 * dialog.html: the first page of the sign-in dialog must be on the pane's domain (platform.md §4); it
 * forwards to the Worker's sign-in start URL — only ever to the configured Worker origin.
 */
import { apiBaseUrl } from "./config";

const to = new URLSearchParams(location.search).get("to") ?? "";
const api = new URL(apiBaseUrl(document, location.href));
const target = (() => {
  try {
    return new URL(to);
  } catch {
    return undefined;
  }
})();
if (target && target.origin === api.origin && target.pathname === "/v1/auth/xero/start")
  location.replace(target.href);
else
  document.body.textContent =
    "This sign-in link is not valid. Close this window and try again from the VCX pane.";
