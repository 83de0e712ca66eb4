import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectAccessible } from "./a11y";
import { E2E } from "./constants.mjs";

const admin = E2E.admin;
// Where the server keeps the one-time setup token (it also prints it on its console), as the
// person who started it would find it: the data dir that tests/e2e/start-server.mjs gave it.
const setupTokenFile = path.resolve(`data/e2e-first-run-${process.env.E2E_FIRST_RUN_PORT ?? 3100}/setup-token`);

// One story, in order: the data dir is fresh, so the first visit is first-run setup.
test.describe.configure({ mode: "serial" });

/** Every page and API route of the app, read off the file system (a new one is crawled without editing this spec). */
function appFiles(dir: string, name: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return appFiles(full, name);
    return entry === name ? [path.dirname(full)] : [];
  });
}
const toUrl = (dir: string) =>
  "/" +
  path
    .relative("app", dir)
    .split(path.sep)
    .filter((segment) => segment && !segment.startsWith("("))
    .map((segment) => (segment.startsWith("[...") ? "x" : segment.startsWith("[") ? "x_0000000000" : segment))
    .join("/");

test("anonymous crawl: only /login, /setup and /api/health answer; every other page and route refuses", async ({ page, request }) => {
  const pages = appFiles("app", "page.tsx").map(toUrl);
  expect(pages.length).toBeGreaterThan(5);
  for (const url of pages) {
    await page.goto(url);
    if (url.startsWith("/portal/")) {
      // The customer portal has no sign-in: an unknown link gets a clear refusal page, nothing else.
      await expect(page.getByRole("heading", { name: "This link is not valid" }), url).toBeVisible();
      continue;
    }
    // No admin yet: every console page sends the visitor to setup (login also, once there is one).
    expect(new URL(page.url()).pathname, url).toMatch(/^\/(setup|login)$/);
  }
  const routes = appFiles("app/api", "route.ts").map(toUrl);
  let refused = 0;
  for (const url of routes) {
    if (url === "/api/health" || url.startsWith("/api/auth") || url === "/api/v1/openapi.json") continue;
    for (const method of ["GET", "POST", "PATCH", "DELETE", "PUT"]) {
      const response = await request.fetch(url, { method, data: method === "GET" ? undefined : {}, maxRedirects: 0 });
      if (url === "/api/inngest" && method === "GET" && response.status() === 200) {
        // The SDK's unauthenticated introspection: counts only, and it says it did not authenticate.
        expect((await response.json()).authentication_succeeded).toBe(false);
        continue;
      }
      // 401/403 refuse; 404/405 mean no such method (or a disabled feature); nothing answers 2xx or 5xx.
      expect([401, 403, 404, 405], `${method} ${url} → ${response.status()}`).toContain(response.status());
      refused++;
    }
  }
  expect(refused).toBeGreaterThan(50);
  expect((await request.get("/api/health")).status()).toBe(200);
});

test("an anonymous visitor is sent to first-run setup", async ({ page }) => {
  await page.goto("/endpoints");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Create the first admin" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/setup.png", fullPage: true });
  await expectAccessible(page, "setup");
  // On a phone (the only run where /setup exists, so its 390 px check lives here; tests/e2e/phone.spec.ts has the rest).
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), "/setup at 390 px").toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/screens/phone-setup.png", fullPage: true });
});

test("first-run setup validates, creates the admin and signs them in", async ({ page }) => {
  await page.goto("/setup");
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill("too short");
  await page.getByLabel("Workspace name").fill("Acme Calls");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByText("Use at least 12 characters")).toBeVisible();
  // What was typed survives the error (React resets a form after its action runs).
  await expect(page.getByLabel("Email")).toHaveValue(admin.email);
  await expect(page.getByLabel("Workspace name")).toHaveValue("Acme Calls");
  await page.screenshot({ path: "test-results/screens/setup-error.png", fullPage: true });

  // A right password but a guessed token: refused, with the way to find the real one.
  await page.getByLabel("Password").fill(admin.password);
  await page.getByLabel("Setup token").fill("setup_guessed");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByText("That setup token is not right").first()).toBeVisible();
  await page.screenshot({ path: "test-results/screens/setup-token-error.png", fullPage: true });

  await page.getByLabel("Password").fill(admin.password);
  await page.getByLabel("Setup token").fill(readFileSync(setupTokenFile, "utf8").trim());
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByText("Acme Calls").first()).toBeVisible();
  // A fresh workspace has delivered nothing: the overview explains the three steps to a first delivery.
  await expect(page.getByRole("heading", { name: "No deliveries yet" })).toBeVisible();
  const steps = page.getByRole("list").filter({ hasText: "Publish an event" });
  await expect(steps.getByRole("link", { name: /Event types/ })).toHaveAttribute("href", "/event-types");
  await expect(steps.getByRole("link", { name: /Add an endpoint|Endpoints/ })).toHaveAttribute("href", /^\/endpoints/);
  await expect(steps.getByRole("link", { name: /Playground/ })).toHaveAttribute("href", "/playground");
  await page.screenshot({ path: "test-results/screens/overview-empty.png", fullPage: true });

  // Setup is a one-time door.
  await page.goto("/setup");
  await expect(page).not.toHaveURL(/\/setup$/);
});

test("sign out, then a wrong password is refused and the right one gets in", async ({ page }) => {
  await page.goto("/setup");
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expectAccessible(page, "login");
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill("wrong password!!");
  await page.getByRole("button", { name: "Sign in" }).click();
  // (Next.js adds an empty route-announcer alert of its own.)
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email" })).toHaveText("Wrong email or password.");
  await page.screenshot({ path: "test-results/screens/login-error.png", fullPage: true });

  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

  for (const name of ["Endpoints", "Messages", "Event types", "Settings"]) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  }

  await page.getByRole("button", { name: new RegExp(`^${admin.email[0]} ${admin.email}`) }).click(); // the user menu
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/messages");
  await expect(page).toHaveURL(/\/login/);
});

test("the API refuses anonymous and wrong-key callers with the JSON error body", async ({ request }) => {
  const anonymous = await request.get("/api/v1/me");
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.json()).toMatchObject({ error: { code: "unauthorized", message: expect.any(String) } });

  const wrong = await request.get("/api/v1/me", { headers: { authorization: "Bearer hk_not_a_real_key_000000000" } });
  expect(wrong.status()).toBe(401);
  expect((await wrong.json()).error.code).toBe("unauthorized");

  const accepted = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${E2E.apiKey}` } });
  expect(accepted.status()).toBe(200);
  expect(await accepted.json()).toMatchObject({ role: "ADMIN", actor: { type: "apiKey" } });

  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ status: "ok", database: "ok" });
});

test("the shell works on a phone-sized screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto("/login");
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Open menu" }).click();
  await page.screenshot({ path: "test-results/screens/mobile-menu.png" });
  await page.getByRole("dialog", { name: "Menu" }).getByRole("link", { name: "Endpoints" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Endpoints" })).toBeVisible();
});
