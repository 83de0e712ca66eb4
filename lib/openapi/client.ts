/**
 * The typed client of API v1 (openapi-fetch over types generated from the
 * OpenAPI document; regenerate with `npm run api:generate`). Paths, bodies,
 * query parameters and answers are all typed:
 *
 *   const hookline = createHooklineClient({ baseUrl: "http://localhost:3000", apiKey: "hk_…" });
 *   const { data, error, response } = await hookline.POST("/messages", { body: { eventType: "call:completed", payload: { account: "acc_1" } } });
 */
import createClient, { type ClientOptions } from "openapi-fetch";
import type { components, paths } from "@/lib/openapi/generated/api";

export type { components, paths };
export type ApiSchemas = components["schemas"];

export type HooklineClientOptions = {
  /** Where Hookline runs, e.g. `http://localhost:3000` (without /api/v1). */
  baseUrl: string;
  apiKey?: string;
  fetch?: ClientOptions["fetch"];
};

export function createHooklineClient({ baseUrl, apiKey, fetch }: HooklineClientOptions) {
  return createClient<paths>({
    baseUrl: `${baseUrl.replace(/\/+$/, "")}/api/v1`,
    headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
    ...(fetch ? { fetch } : {}),
  });
}
export type HooklineClient = ReturnType<typeof createHooklineClient>;
