import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject } from "zod-openapi";
import { operations, type ApiOperation } from "@/lib/openapi/operations";
import { errorSchema } from "@/lib/openapi/schemas";

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid input: `validation_failed` (zod issues in `details`) or `bad_request`",
  401: "No API key, or an unknown or revoked one",
  403: "The key's role does not allow this (viewers read only)",
  404: "Not found in the key's workspace",
  409: "Conflicts with the current state",
  413: "The body or the payload is over the size limit",
  429: "Too many requests; retry after `Retry-After` seconds",
  500: "A fault on Hookline's side (`internal_error`; details are in the server log, never in the answer)",
  503: "Temporarily unable to accept more; retry after `Retry-After` seconds",
};

/** 429 and 503 always say when to come back. */
const retryAfterHeader = z.object({
  "Retry-After": z.string().regex(/^\d+$/).meta({ description: "Seconds to wait before retrying (1–60 for publish)", example: "5" }),
});

const PARAM_DESCRIPTIONS: Record<string, string> = {
  id: "The resource's id (`ep_…`, `msg_…`, `dlv_…`)",
  name: "The event type's name, URL-encoded (`call%3Acompleted`)",
  account: "The account key, as messages carry it (e.g. a customer id)",
};

/** The error statuses an operation can answer, derived from its shape plus its own list. */
export function errorStatuses(operation: ApiOperation): number[] {
  const statuses = new Set([...(operation.errors ?? []), 500]);
  if (!operation.public) statuses.add(401);
  if (operation.body || operation.query) statuses.add(400);
  if (operation.method !== "get") statuses.add(403);
  if (operation.path.includes("{")) statuses.add(404);
  return [...statuses].sort();
}

function toOperationObject(operation: ApiOperation): ZodOpenApiOperationObject {
  const pathParams = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, response] of Object.entries(operation.responses)) {
    responses[status] = response.schema
      ? { description: response.description, content: { "application/json": { schema: response.schema } } }
      : { description: response.description };
  }
  for (const status of errorStatuses(operation)) {
    responses[String(status)] = {
      description: ERROR_DESCRIPTIONS[status] ?? "Error",
      ...(status === 429 || status === 503 ? { headers: retryAfterHeader } : {}),
      content: { "application/json": { schema: errorSchema } },
    };
  }
  return {
    operationId: operationId(operation),
    tags: [operation.tag],
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    ...(operation.public ? { security: [] } : {}),
    requestParams: {
      ...(pathParams.length
        ? { path: z.object(Object.fromEntries(pathParams.map((name) => [name, z.string().meta({ description: PARAM_DESCRIPTIONS[name] ?? name })]))) }
        : {}),
      ...(operation.query ? { query: operation.query } : {}),
      ...(operation.headers ? { header: operation.headers } : {}),
    },
    ...(operation.body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: operation.body,
                ...(operation.bodyExample !== undefined ? { example: operation.bodyExample } : {}),
              },
            },
          },
        }
      : {}),
    responses,
  };
}

/** `POST /endpoints/{id}/secret/rotate` → `postEndpointsIdSecretRotate`: stable, readable names for generated clients. */
export function operationId(operation: Pick<ApiOperation, "method" | "path">): string {
  const words = operation.path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return operation.method + words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join("");
}

let cached: ReturnType<typeof createDocument> | undefined;

/** The OpenAPI 3.1 document of API v1, built from the zod schemas the routes validate with. */
export function openApiDocument() {
  if (cached) return cached;
  const paths: ZodOpenApiPathsObject = {};
  for (const operation of operations) {
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = toOperationObject(operation);
  }
  const document = createDocument(
    {
      openapi: "3.1.0",
      info: {
        title: "Hookline API",
        version: "1",
        description:
          "Publish events and manage the endpoints, event types and deliveries of a Hookline workspace. " +
          "Authenticate with an API key (Settings → API keys) as `Authorization: Bearer hk_…`; the key's workspace is implied. " +
          "Errors are `{\"error\": {\"code\", \"message\", \"details\"?}}`.",
      },
      servers: [{ url: "/api/v1", description: "This Hookline instance" }],
      security: [{ apiKey: [] }],
      tags: [...new Set(operations.map((operation) => operation.tag))].map((name) => ({ name })),
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key, `hk_…`" } } },
      paths,
    },
  );
  return (cached = inlineRecursiveJson(document));
}

/**
 * z.json() (a filter rule's value) is recursive, so it comes out as an anonymous
 * self-referencing component; generated TypeScript clients cannot type that, and
 * "any JSON value" says all there is to say.
 */
function inlineRecursiveJson<T extends { components?: { schemas?: Record<string, unknown> } }>(document: T): T {
  const anonymous = Object.keys(document.components?.schemas ?? {}).filter((name) => /^__schema\d+$/.test(name));
  let text = JSON.stringify(document);
  for (const name of anonymous) {
    text = text.replaceAll(JSON.stringify({ $ref: `#/components/schemas/${name}` }), JSON.stringify({ description: "Any JSON value" }));
  }
  const inlined = JSON.parse(text) as T;
  for (const name of anonymous) delete inlined.components!.schemas![name];
  return inlined;
}
