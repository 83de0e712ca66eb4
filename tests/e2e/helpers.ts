import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { E2E } from "./constants.mjs";

export { E2E };

/** Signs the bootstrapped admin in through the login form. */
export async function signIn(page: Page, credentials = E2E.admin) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(credentials.email);
  await page.getByLabel("Password").fill(credentials.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

/** Calls the API with the bootstrapped key. */
export function api(request: APIRequestContext) {
  const headers = { authorization: `Bearer ${E2E.apiKey}` };
  return {
    get: (path: string) => request.get(`/api/v1${path}`, { headers }),
    post: (path: string, data?: unknown) => request.post(`/api/v1${path}`, { headers, data: data ?? {} }),
    patch: (path: string, data: unknown) => request.patch(`/api/v1${path}`, { headers, data }),
  };
}

export type ReceivedRequest = { headers: http.IncomingHttpHeaders; body: string; at: number };

/** A real HTTP receiver on loopback; `respond` decides each answer and can be changed mid-test. */
export async function startReceiver(respond: (request: ReceivedRequest) => { status: number; body?: string } = () => ({ status: 200, body: '{"received":true}' })) {
  const received: ReceivedRequest[] = [];
  const state = { respond };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = { headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      received.push(entry);
      const answer = state.respond(entry);
      response.writeHead(answer.status, { "content-type": "application/json" });
      response.end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    setResponder(next: typeof respond) {
      state.respond = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Full-page screenshot into test-results/screens/<name>.png, kept as a CI artifact. */
export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}
