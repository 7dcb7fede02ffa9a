/**
 * Sign-in through the Office dialog (platform.md §4): the dialog opens dialog.html on the pane's own domain,
 * which navigates to the Worker's /v1/auth/xero/start; the Worker's callback page sends
 * `{"type":"vcx-auth","code":"…"}` back with messageParent, and the pane exchanges the code.
 */

export type AuthMessage =
  | { type: "vcx-auth"; code: string }
  | { type: "vcx-auth"; error: string; message: string };

/** The message the Worker's callback (or error) page sends, or undefined for anything else. */
export function parseAuthMessage(message: string): AuthMessage | undefined {
  try {
    const m = JSON.parse(message) as { type?: unknown; code?: unknown; error?: unknown; message?: unknown };
    if (m?.type !== "vcx-auth") return undefined;
    if (typeof m.code === "string" && m.code !== "") return { type: "vcx-auth", code: m.code };
    if (typeof m.error === "string")
      return {
        type: "vcx-auth",
        error: m.error,
        message: typeof m.message === "string" ? m.message : "Sign-in failed.",
      };
    return undefined;
  } catch {
    return undefined;
  }
}

/** 12006: the user closed the dialog; 12002/12003/12004: the page could not be opened. */
export function dialogErrorText(code: number): string {
  if (code === 12006) return "The sign-in window was closed before sign-in finished.";
  if (code === 12002) return "The sign-in page could not be opened (not found or not HTTPS).";
  if (code === 12003) return "The sign-in page must use HTTPS.";
  if (code === 12004) return "The sign-in page's domain is not trusted by the add-in (AppDomains).";
  return `Sign-in failed (dialog error ${code}).`;
}

export function dialogPageUrl(paneHref: string, workerStartUrl: string): string {
  const u = new URL("dialog.html", paneHref);
  u.searchParams.set("to", workerStartUrl);
  return u.toString();
}

export function officeDialogSignIn(paneHref: string): (url: string) => Promise<string> {
  return (workerStartUrl) =>
    new Promise<string>((resolve, reject) => {
      Office.context.ui.displayDialogAsync(
        dialogPageUrl(paneHref, workerStartUrl),
        { height: 60, width: 30, promptBeforeOpen: false },
        (result) => {
          if (result.status !== Office.AsyncResultStatus.Succeeded) {
            reject(new Error(dialogErrorText(result.error.code)));
            return;
          }
          const dialog = result.value;
          dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
            const msg = "message" in arg ? parseAuthMessage(arg.message) : undefined;
            if (!msg) return;
            dialog.close();
            if ("code" in msg) resolve(msg.code);
            else reject(new Error(msg.message));
          });
          dialog.addEventHandler(Office.EventType.DialogEventReceived, (arg) => {
            reject(new Error(dialogErrorText("error" in arg ? arg.error : 0)));
          });
        },
      );
    });
}
