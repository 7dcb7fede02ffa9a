/** Test entry: the Xero sandbox Worker unchanged (exports.default), plus the OrgPoster Durable Object. */

export { OrgPoster } from "../../worker/posting/org-poster";
export { default, XeroSandbox } from "../../worker/sandbox/index";
