/** zod validation of request parts, failing with the error envelope (422 + issues with field paths). */
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";
import { validationFailed } from "./errors";

const WHERE: Record<keyof ValidationTargets, string> = {
  json: "request body",
  form: "form",
  query: "query string",
  param: "path",
  header: "headers",
  cookie: "cookies",
};

export const valid = <T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) =>
  zValidator(target, schema, (result) => {
    if (!result.success) throw validationFailed(result.error as unknown as z.ZodError, WHERE[target]);
  });
