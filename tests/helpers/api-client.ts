/**
 * The typed API client wired to the route handlers in-process (no server), with
 * every answer checked against the OpenAPI document: a status the document does
 * not list for the operation, or a body that does not match its schema, fails
 * the test that made the call.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { NextRequest } from "next/server";
import { createHooklineClient, type HooklineClient } from "@/lib/openapi/client";
import { openApiDocument } from "@/lib/openapi/document";
import { apiV1Routes } from "@/tests/helpers/api-routes";

type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const routes = apiV1Routes().map((route) => ({
  ...route,
  pattern: new RegExp(`^${route.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`),
  specificity: route.path.split("/").filter((segment) => !segment.startsWith("{")).length,
}));
// A literal segment wins over a parameter (/event-types/presets before /event-types/{name}), as in Next.
routes.sort((a, b) => b.specificity - a.specificity);

function match(pathname: string) {
  const below = pathname.replace(/^\/api\/v1/, "") || "/";
  for (const route of routes) {
    const found = route.pattern.exec(below);
    if (found) return { route, params: (found.groups ?? {}) as Record<string, string> };
  }
  return null;
}

/** A fetch that dispatches to app/api/v1's route handlers, as Next would. */
export async function routeFetch(input: Request): Promise<Response> {
  const url = new URL(input.url);
  const found = match(url.pathname);
  if (!found) return new Response("no such route", { status: 404 });
  const routeModule = (await import(/* @vite-ignore */ found.route.file)) as Record<string, Handler | undefined>;
  const handler = routeModule[input.method];
  if (!handler) return new Response(null, { status: 405 });
  return handler(new NextRequest(input), { params: Promise.resolve(found.params) });
}

const document = JSON.parse(JSON.stringify(openApiDocument())) as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
};
const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(document, "openapi");
const pointer = (...parts: string[]) => parts.map((part) => part.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

/** `METHOD /path status` of every answer checked, to see what the tests cover. */
export const checkedResponses = new Set<string>();

/** Throws unless the answer's status and body are what the document says for this operation. */
export async function assertDocumented(request: Request, response: Response): Promise<void> {
  const found = match(new URL(request.url).pathname);
  const method = request.method.toLowerCase();
  const operation = found && document.paths[found.route.path]?.[method];
  const where = `${request.method} ${found?.route.path ?? new URL(request.url).pathname}`;
  if (!operation) throw new Error(`${where} is not in the OpenAPI document`);
  const status = String(response.status);
  const documented = operation.responses[status];
  if (!documented) throw new Error(`${where} answered ${status}, which the OpenAPI document does not list (${Object.keys(operation.responses).join(", ")})`);
  const text = await response.clone().text();
  if (documented.content?.["application/json"]) {
    const validate = ajv.getSchema(`openapi#/${pointer("paths", found.route.path, method, "responses", status, "content", "application/json", "schema")}`);
    const body = JSON.parse(text);
    if (!validate!(body)) {
      throw new Error(`${where} ${status} does not match the OpenAPI document: ${ajv.errorsText(validate!.errors)} ${JSON.stringify(validate!.errors?.map((e) => e.params))}\n${text.slice(0, 500)}`);
    }
  } else if (text !== "") {
    throw new Error(`${where} ${status} has a body the OpenAPI document does not describe`);
  }
  checkedResponses.add(`${where} ${status}`);
}

/** The typed client as a key holder would use it, served in-process and checked against the document. */
export function testClient(apiKey: string | null): HooklineClient {
  const client = createHooklineClient({ baseUrl: "http://hookline.test", apiKey: apiKey ?? undefined, fetch: routeFetch });
  client.use({ onResponse: async ({ request, response }) => void (await assertDocumented(request, response)) });
  return client;
}
