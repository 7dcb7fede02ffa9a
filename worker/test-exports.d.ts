// In workerd tests `exports.default` (from "cloudflare:workers") is the Worker under test; each test project
// (VCX API, Xero sandbox) has its own main module, so the declaration stays generic.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: { default: ExportedHandler };
  }
}
