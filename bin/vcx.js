#!/usr/bin/env node
// `npx vcx …`: runs the TypeScript CLI through tsx, so there is no build step between a change and a run.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../worker/cli/vcx.ts");
process.exitCode = await main(process.argv.slice(2));
