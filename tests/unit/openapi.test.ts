import fs from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/openapi/document";
import { operations } from "@/lib/openapi/operations";
import { apiV1Routes } from "@/tests/helpers/api-routes";
import { GENERATED_DIR, generatedFiles } from "@/scripts/api-client";

const document = openApiDocument() as unknown as {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { example?: unknown }> }; responses: Record<string, unknown> }>>;
};

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(document)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("documents every /api/v1 route file and method, and nothing that does not exist", () => {
    const routes = apiV1Routes();
    expect(routes.length).toBeGreaterThan(10);
    const inFiles = routes.flatMap((route) => route.methods.map((method) => `${method.toUpperCase()} ${route.path}`)).sort();
    const inDocument = Object.entries(document.paths)
      .flatMap(([path, item]) => Object.keys(item).filter((key) => key !== "parameters").map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    // A failure here lists the missing (or stale) operations: add them to lib/openapi/operations.ts.
    expect({ undocumented: inFiles.filter((op) => !inDocument.includes(op)), stale: inDocument.filter((op) => !inFiles.includes(op)) }).toEqual({
      undocumented: [],
      stale: [],
    });
  });

  it("gives every body an example and every error the shared error shape", () => {
    for (const operation of operations) {
      const rendered = document.paths[operation.path]![operation.method]!;
      if (operation.body) expect(rendered.requestBody?.content["application/json"]?.example, `${operation.method} ${operation.path}`).toBeDefined();
      for (const [status, response] of Object.entries(rendered.responses)) {
        if (Number(status) >= 400) {
          expect(JSON.stringify(response), `${operation.method} ${operation.path} ${status}`).toContain("#/components/schemas/Error");
        }
      }
      if (!operation.public) expect(rendered.responses["401"], `${operation.method} ${operation.path}`).toBeDefined();
    }
  });
});

describe("the typed client", () => {
  it("is generated from the current document (run `npm run api:generate` when this fails)", async () => {
    for (const [name, text] of Object.entries(await generatedFiles())) {
      const committed = fs.readFileSync(path.join(GENERATED_DIR, name), "utf8");
      expect(committed === text, `lib/openapi/generated/${name} is stale: run npm run api:generate`).toBe(true);
    }
  });
});
