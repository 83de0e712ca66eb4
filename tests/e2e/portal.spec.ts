import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./a11y";
import { api, screenshot, signIn, startReceiver } from "./helpers";

/**
 * The customer portal as a product's customer meets it: the operator's app asks for a link
 * for acc_1; the customer opens it in a browser with no Hookline session, adds an endpoint with
 * seed 002's events and a duration filter, sends a test, and watches the last 10 attempts fill
 * in as the app publishes acc_1's calls. The same portal then runs inside an iframe served from
 * another loopback origin.
 */
const call = (account: string, duration: number, id: string) => ({
  eventType: "call:completed",
  account,
  payload: { call_id: id, account, duration, status: "completed" },
});

async function portalLink(request: Parameters<typeof api>[0], account: string, body: object = {}) {
  const response = await api(request).post(`/accounts/${account}/portal`, body);
  expect(response.status()).toBe(201);
  return (await response.json()) as { url: string; path: string; expiresAt: string };
}

/** The product's own page, on another loopback origin (127.0.0.2), framing the portal URL it is given. */
async function startHost() {
  const server = http.createServer((request, response) => {
    const src = new URL(request.url ?? "/", "http://host").searchParams.get("src") ?? "";
    response.writeHead(200, { "content-type": "text/html" });
    response.end(
      `<!doctype html><title>CallTracker · Integrations</title><h1>Integrations</h1>` +
        `<iframe title="Webhooks" src="${src.replaceAll('"', "&quot;")}" style="width:100%;height:1400px;border:0"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.2", resolve));
  const origin = `http://127.0.0.2:${(server.address() as AddressInfo).port}`;
  return { origin, frame: (url: string) => `${origin}/?src=${encodeURIComponent(url)}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function narrow(page: Page, name: string) {
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, name);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "no sideways scrolling at 390 px").toBeLessThanOrEqual(1);
  await page.setViewportSize({ width: 1366, height: 900 });
}

test("a customer manages acc_1's webhooks in the portal, full page and embedded", async ({ browser, request }) => {
  test.setTimeout(120_000);
  expect((await api(request).post("/event-types/presets", { preset: "call-tracking" })).ok()).toBe(true);
  const receiver = await startReceiver(() => ({ status: 200, body: '{"received":true,"by":"acc_1"}' }));
  const other = await api(request).post("/endpoints", { title: "acc_2 CRM", url: `${receiver.url}/acc2`, account: "acc_2" });
  const otherId = ((await other.json()) as { id: string }).id;
  const link = await portalLink(request, "acc_1");
  const customer = await browser.newContext({ viewport: { width: 1366, height: 900 } }); // no cookies, no Hookline session
  const page = await customer.newPage();
  let endpointId = "";
  try {
    const opened = await page.goto(link.path);
    expect(opened!.headers()["referrer-policy"]).toBe("no-referrer");
    expect(opened!.headers()["content-security-policy"]).toBe("frame-ancestors 'self'");
    await expect(page.getByRole("heading", { level: 1, name: "Webhook endpoints" })).toBeVisible();
    await expect(page.getByText("No endpoints yet")).toBeVisible();
    await expect(page.locator("body")).not.toContainText("Hookline");
    await screenshot(page, "portal-empty");
    await expectAccessible(page, "portal-empty");

    await page.getByRole("link", { name: "Add an endpoint" }).first().click();
    await expect(page.getByRole("heading", { level: 1, name: "Add an endpoint" })).toBeVisible();
    // The customer-facing settings only: no presets, signing, retries, headers or accounts.
    await expect(page.getByLabel("Start from a product preset")).toBeHidden();
    await expect(page.getByRole("heading", { name: "Signing" })).toHaveCount(0);
    await page.getByLabel("Title").fill("My CRM");
    await page.getByLabel("URL").fill(receiver.url);
    await page.getByRole("radio", { name: /Selected events/ }).check();
    await page.getByLabel("Search event types").fill("call:");
    await page.getByRole("checkbox", { name: /^call:completed/ }).check();
    await page.getByRole("checkbox", { name: /^call:missed/ }).check();
    await page.getByRole("button", { name: "Add condition" }).click();
    await page.getByLabel("Condition 1 field path").fill("duration");
    await page.getByLabel("Condition 1 operator").selectOption("gte");
    await page.getByLabel("Condition 1 value").fill("30");
    await expect(page.getByText("Would be delivered")).toBeVisible();
    await page.getByLabel("Example payload").fill(JSON.stringify({ account: "acc_1", duration: 12 }));
    await expect(page.getByText("Would be skipped")).toBeVisible();
    // The loopback receiver draws the private-address warning, in the customer's words.
    await expect(page.getByText("127.0.0.1 is a private or loopback address, which deliveries usually cannot reach")).toBeVisible();
    await expect(page.locator("#preview-account")).toHaveCount(0); // the match preview's account: the session's is fixed
    await expect(page.locator("body")).not.toContainText("Hookline");
    await screenshot(page, "portal-endpoint-form");
    await expectAccessible(page, "portal-endpoint-form", { keyboardWalk: false });
    await narrow(page, "portal-endpoint-form-390");

    await page.getByRole("button", { name: "Create endpoint" }).click();
    const created = page.getByRole("dialog", { name: "Endpoint created" });
    await expect(created.getByLabel("Signing secret", { exact: true })).toContainText("whsec_");
    await created.getByRole("button", { name: "Continue to the endpoint" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "My CRM" })).toBeVisible();
    expect(new URL(page.url()).pathname).toMatch(new RegExp(`^${link.path}/endpoints/ep_`));
    endpointId = page.url().split("/").pop()!;
    const stored = await (await api(request).get(`/endpoints/${endpointId}`)).json();
    expect(stored).toMatchObject({ account: "acc_1", eventTypes: ["call:completed", "call:missed"], filter: { rules: [{ path: "duration", op: "gte", value: 30 }] } });

    // Send test: the receiver's status and body are shown.
    await page.getByRole("form", { name: "Send test" }).getByRole("button", { name: "Send test" }).click();
    const result = page.getByRole("region", { name: "Test result" });
    await expect(result).toContainText("200");
    await expect(result).toContainText('"by": "acc_1"');

    // The app publishes: acc_1's long calls arrive live; a short one and acc_2's never do.
    const attempts = page.getByRole("table", { name: "Last 10 attempts" });
    await expect(attempts.getByRole("row")).toHaveCount(2); // header + the test
    for (const [index, message] of [call("acc_1", 45, "c1"), call("acc_2", 60, "c2"), call("acc_1", 10, "c3"), call("acc_1", 90, "c4")].entries()) {
      expect((await api(request).post("/messages", message)).status(), `message ${index}`).toBe(202);
    }
    await expect(attempts.getByRole("row")).toHaveCount(4, { timeout: 20_000 });
    // c2 went to acc_2's own endpoint (same receiver, its own path), never to this one.
    const published = receiver.received.map((entry) => JSON.parse(entry.body).call_id as string).filter((id) => /^c\d$/.test(id));
    expect(published.sort()).toEqual(["c1", "c2", "c4"]);
    const rows = await attempts.getByRole("row").allTextContents();
    expect(rows.filter((row) => row.includes("Test"))).toHaveLength(1);
    // No "Hookline" on the detail either: the config card and the verification snippets speak the product's words.
    await expect(page.locator("body")).not.toContainText("Hookline");
    await expect(page.locator("body")).toContainText("WEBHOOK_SECRET");
    await screenshot(page, "portal-endpoint-detail");
    await expectAccessible(page, "portal-endpoint-detail", { keyboardWalk: false });
    await narrow(page, "portal-endpoint-detail-390");

    // Another account's endpoint is not found; the log holds acc_1's messages only.
    await page.goto(`${link.path}/endpoints/${otherId}`);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await page.goto(`${link.path}/messages`);
    // Other specs share the workspace and publish for acc_1 too: at least ours, and never acc_2's.
    await expect(page.getByTestId("message-row").first()).toBeVisible();
    expect(await page.getByTestId("message-row").count()).toBeGreaterThanOrEqual(3);
    await expect(page.getByRole("table")).not.toContainText("acc_2");
    await screenshot(page, "portal-messages");
    await expectAccessible(page, "portal-messages");
    // A message opens on its own page: the exact body, and the deliveries to this account's endpoints only.
    await page.getByTestId("message-row").filter({ hasText: "call:completed" }).first().getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1, name: "call:completed" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Body" })).toBeVisible();
    const deliveries = page.getByTestId("delivery");
    await expect(deliveries.first()).toBeVisible();
    await expect(page.locator("main")).not.toContainText("acc_2 CRM");
    // (The attempts list the request exactly as sent: with the workspace's default headers on, that
    // includes Hookline's user agent and x-hookline-* — what the customer's server received anyway.)
    await screenshot(page, "portal-message-detail");
    await expectAccessible(page, "portal-message-detail", { keyboardWalk: false });

    // Tampered and unknown links get a clear page, not a login form.
    await page.goto(`${link.path.slice(0, -3)}xyz`);
    await expect(page.getByRole("heading", { name: "This link is not valid" })).toBeVisible();
    await screenshot(page, "portal-link-refused");
    await expectAccessible(page, "portal-link-refused");
  } finally {
    await customer.close();
  }

  // Embedded: the operator allows the product's origin, the product frames a fresh link.
  const host = await startHost();
  const operator = await browser.newContext();
  try {
    const settings = await operator.newPage();
    await signIn(settings);
    await settings.goto("/settings");
    await settings.getByLabel("Product name").fill("CallTracker");
    await settings.getByLabel("Sites allowed to embed the portal").fill(host.origin);
    await settings.getByLabel("Accent colour", { exact: true }).fill("#0f766e");
    await settings.getByText("Show “Webhooks by Hookline”", { exact: true }).click(); // the switch's label (its input is visually hidden)
    await expect(settings.getByRole("switch", { name: /Webhooks by Hookline/ })).toBeChecked();
    await settings.getByLabel("Theme").selectOption("dark");
    await settings.getByRole("button", { name: "Save portal settings" }).click();
    await expect(settings.getByText("Portal settings saved")).toBeVisible();
    await screenshot(settings, "settings-portal");

    // Support ends acc_1's links early from the accounts page: the customer's open link stops working.
    await settings.goto("/accounts");
    await settings.getByRole("button", { name: /^Revoke \d+ open links? of acc_1$/ }).click();
    await settings.getByRole("dialog", { name: "Revoke portal links" }).getByRole("button", { name: "Revoke links" }).click();
    await expect(settings.getByText(/^Ended \d+ portal links? of acc_1\.$/)).toBeVisible();
    await expect(settings.getByRole("button", { name: /of acc_1$/ })).toHaveCount(0);
    await settings.goto(link.path);
    await expect(settings.getByRole("heading", { name: "This link has expired" })).toBeVisible();
  } finally {
    await operator.close();
  }
  const embedLink = await portalLink(request, "acc_1");
  const headers = (await request.get(embedLink.path)).headers();
  expect(headers["content-security-policy"]).toBe(`frame-ancestors 'self' ${host.origin}`);
  expect((await request.get("/login")).headers()["content-security-policy"]).toBe("frame-ancestors 'none'");
  const embedder = await browser.newContext();
  try {
    const product = await embedder.newPage();
    await product.goto(host.frame(embedLink.url));
    const frame = product.frameLocator("iframe[title=Webhooks]");
    await expect(frame.getByRole("heading", { level: 1, name: "Webhook endpoints" })).toBeVisible();
    await expect(frame.getByText("CallTracker · Webhooks")).toBeVisible();
    // The operator turned "powered by" on: the one place the portal names Hookline.
    await expect(frame.getByText("Webhooks by Hookline")).toBeVisible();
    await frame.getByRole("link", { name: "My CRM" }).click();
    await frame.getByRole("form", { name: "Send test" }).getByRole("button", { name: "Send test" }).click();
    await expect(frame.getByRole("region", { name: "Test result" })).toContainText("200");
    await screenshot(product, "portal-embedded");

    // Dark, as a full page: every reused card, table, badge and code block follows (axe checks the contrast).
    const dark = await embedder.newPage();
    await dark.goto(`${embedLink.path}/endpoints/${endpointId}`);
    await expect(dark.getByRole("heading", { level: 1, name: "My CRM" })).toBeVisible();
    expect(await dark.evaluate(() => getComputedStyle(document.querySelector("main h1")!.closest("[data-theme]")!).colorScheme)).toBe("dark");
    await expect(dark.getByRole("table", { name: "Last 10 attempts" }).getByRole("row")).not.toHaveCount(1);
    await screenshot(dark, "portal-dark-endpoint-detail");
    await expectAccessible(dark, "portal-dark-endpoint-detail", { keyboardWalk: false });
    await narrow(dark, "portal-dark-endpoint-detail-390");
  } finally {
    await embedder.close();
    await host.close();
    await receiver.close();
  }
});
