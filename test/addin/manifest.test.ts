/** manifest.xml: schema-valid against the Office XSDs (offline, xmllint-wasm), and its URLs and ids sane. */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { DEV_ADDIN_URL, rewriteManifest } from "../../scripts/build-addin";

const root = new URL("../../", import.meta.url);
// CI checks out shared/ beside the repository.
const XSD_DIR = new URL("../shared/specs/office-addin-manifest/", root);
const MAIN_XSD = "OfficeAppManifestV1_1.xsd";
const manifest = readFileSync(new URL("manifest.xml", root), "utf8");

async function validate(xml: string) {
  const preload = readdirSync(XSD_DIR)
    .filter((f) => f.endsWith(".xsd") && f !== MAIN_XSD)
    .map((f) => ({ fileName: f, contents: readFileSync(new URL(f, XSD_DIR), "utf8") }));
  return validateXML({
    xml: { fileName: "manifest.xml", contents: xml },
    schema: { fileName: MAIN_XSD, contents: readFileSync(new URL(MAIN_XSD, XSD_DIR), "utf8") },
    preload,
  });
}

const attr = (xml: string, name: string) =>
  [...xml.matchAll(new RegExp(`${name}="([^"]*)"`, "g"))].map((m) => m[1] ?? "");

describe("manifest.xml", () => {
  it("validates against the Office add-in manifest schemas", async () => {
    const r = await validate(manifest);
    expect(r.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it("the schema check has teeth: Requirements after Permissions is rejected", async () => {
    const req = /<Requirements>[\s\S]*?<\/Requirements>\n/.exec(manifest)?.[0] ?? "";
    const moved = manifest.replace(req, "").replace("<VersionOverrides", `${req}<VersionOverrides`);
    const r = await validate(moved);
    expect(r.valid).toBe(false);
    expect(r.errors[0]?.message).toMatch(/Requirements.*not expected/);
  });

  it("is a Workbook task pane needing ExcelApi 1.8 with read/write access", () => {
    expect(manifest).toMatch(/xsi:type="TaskPaneApp"/);
    expect(manifest).toMatch(/<Host Name="Workbook"\/>/);
    expect(manifest).toMatch(/<Set Name="ExcelApi" MinVersion="1.8"\/>/);
    expect(manifest).toMatch(/<Permissions>ReadWriteDocument<\/Permissions>/);
    expect(/<Id>([^<]+)<\/Id>/.exec(manifest)?.[1]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(/<Version>([^<]+)<\/Version>/.exec(manifest)?.[1]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it("has a VCX group on the Home tab with Open, Import remittance and Post", () => {
    expect(manifest).toMatch(/<OfficeTab id="TabHome">/);
    const ids = attr(manifest, "id");
    expect(ids).toEqual(expect.arrayContaining(["VCX.Group", "VCX.Open", "VCX.Import", "VCX.Post"]));
    const labels: Record<string, string> = Object.fromEntries(
      [...manifest.matchAll(/<bt:String id="([^"]+)" DefaultValue="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    expect([
      labels["Group.Label"],
      labels["Open.Label"],
      labels["Import.Label"],
      labels["Post.Label"],
    ]).toEqual(["VCX", "Open", "Import remittance", "Post"]);
    for (const [, v] of Object.entries(labels)) expect(v?.length).toBeLessThanOrEqual(250);
  });

  it("every resid points at a defined resource, every resource id is unique", () => {
    const defined = [...manifest.matchAll(/<bt:(?:Image|Url|String) id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(defined).size).toBe(defined.length);
    for (const resid of attr(manifest, "resid")) expect(defined).toContain(resid);
    const controlIds = [...manifest.matchAll(/<(?:Group|Control)[^>]* id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(controlIds).size).toBe(controlIds.length);
  });

  it("all URLs are HTTPS under the dev origin, with icons in 16/32/80", () => {
    const urls = attr(manifest, "DefaultValue").filter((v) => /^\w+:\/\//.test(v));
    expect(urls.length).toBeGreaterThan(10);
    for (const u of urls) expect(u.startsWith(DEV_ADDIN_URL)).toBe(true);
    const appDomains = [...manifest.matchAll(/<AppDomain>([^<]+)<\/AppDomain>/g)].map((m) => m[1] ?? "");
    for (const d of appDomains) expect(d).toMatch(/^https:\/\//);
    for (const size of ["16", "32", "80"])
      expect(manifest).toContain(`<bt:Image size="${size}" resid="Icon.${size}x${size}"/>`);
  });

  it("the build rewrites every dev URL to the production origin and the Worker domain", async () => {
    const prod = rewriteManifest(manifest, "https://addin.vcx.example/pane", "https://api.vcx.example");
    expect(prod).not.toContain("localhost");
    expect(prod).toContain('<SourceLocation DefaultValue="https://addin.vcx.example/pane/taskpane.html"/>');
    expect(prod).toContain("<AppDomain>https://api.vcx.example</AppDomain>");
    expect((await validate(prod)).valid).toBe(true);
    expect(() => rewriteManifest(manifest, "http://addin.vcx.example/", "https://api.vcx.example")).toThrow(
      /https/,
    );
    expect(() => rewriteManifest(manifest, "https://a.example/", "http://api.vcx.example")).toThrow(/https/);
  });
});
