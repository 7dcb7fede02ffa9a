import { describe, expect, it } from "vitest";
import { apiBaseUrl } from "../../addin/src/config";
import { dialogErrorText, dialogPageUrl, parseAuthMessage } from "../../addin/src/pane/auth";

describe("sign-in dialog", () => {
  it("reads the Worker's callback message, success or error; ignores anything else", () => {
    expect(parseAuthMessage('{"type":"vcx-auth","code":"otc-1"}')).toEqual({
      type: "vcx-auth",
      code: "otc-1",
    });
    expect(
      parseAuthMessage('{"type":"vcx-auth","error":"access_denied","message":"You cancelled."}'),
    ).toEqual({
      type: "vcx-auth",
      error: "access_denied",
      message: "You cancelled.",
    });
    expect(parseAuthMessage('{"type":"other","code":"x"}')).toBeUndefined();
    expect(parseAuthMessage('{"type":"vcx-auth","code":""}')).toBeUndefined();
    expect(parseAuthMessage("not json")).toBeUndefined();
  });

  it("the dialog's first page is on the pane's domain and carries the Worker start URL", () => {
    const u = new URL(
      dialogPageUrl(
        "https://addin.vcx.example/pane/taskpane.html?action=post",
        "https://api.vcx.example/v1/auth/xero/start?return=x",
      ),
    );
    expect(u.origin + u.pathname).toBe("https://addin.vcx.example/pane/dialog.html");
    expect(u.searchParams.get("to")).toBe("https://api.vcx.example/v1/auth/xero/start?return=x");
  });

  it("dialog errors in plain words", () => {
    expect(dialogErrorText(12006)).toMatch(/closed/);
    expect(dialogErrorText(12004)).toMatch(/AppDomains/);
    expect(dialogErrorText(1)).toMatch(/1/);
  });

  it("API base: ?api= overrides the build's meta tag", () => {
    const doc = { querySelector: () => ({ content: "https://api.vcx.example" }) } as unknown as Document;
    expect(apiBaseUrl(doc, "https://addin.vcx.example/taskpane.html")).toBe("https://api.vcx.example");
    expect(apiBaseUrl(doc, "https://addin.vcx.example/taskpane.html?api=http://127.0.0.1:8787")).toBe(
      "http://127.0.0.1:8787",
    );
  });
});
