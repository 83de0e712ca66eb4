import { createHmac } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { api, screenshot, signIn, startReceiver } from "./helpers";
import { expectAccessible } from "./a11y";

// The console server is shared by every console spec: each test makes its own, uniquely named endpoint.

// Whole stories through a production server; slow CI machines need more than the default minute.
test.describe.configure({ timeout: 120_000 });

const unique = () => Math.random().toString(36).slice(2, 8);

function callPayload(duration: number, account = "acc_1") {
  return {
    event: "call:completed",
    call_id: `call_${unique()}`,
    account,
    status: "completed",
    duration,
    caller: { number: "+33612345678", city: "Lyon", country: "FR" },
  };
}

function attemptRows(page: Page) {
  return page.getByRole("table", { name: "Last 10 attempts" }).locator("tbody tr");
}

// Sign in once (password hashing is deliberately slow) and reuse the session cookie in every test.
const sessionFile = path.join(os.tmpdir(), `hookline-e2e-endpoints-${process.pid}.json`);
test.use({ storageState: sessionFile });

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ storageState: undefined });
  const page = await context.newPage();
  await signIn(page).catch(async () => {
    // A loaded machine can take longer than the helper waits; the session may still be on its way.
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible({ timeout: 30_000 });
  });
  await context.storageState({ path: sessionFile });
  await context.close();
});

test.beforeEach(async ({ request }) => {
  const imported = await api(request).post("/event-types/presets", { preset: "call-tracking" });
  expect(imported.ok()).toBe(true);
});

test("a person configures seed 002's call-tracking endpoint in the form, sends a test and reads the attempt", async ({ page, request }) => {
  const receiver = await startReceiver(() => ({ status: 200, body: '{"received":true,"handler":"calltracking"}' }));
  try {
    await page.goto("/endpoints");
    await expect(page.getByRole("heading", { level: 1, name: "Endpoints" })).toBeVisible();
    // The workspace is shared with other specs: the empty state only exists if nothing ran before.
    if (await page.getByRole("heading", { name: "No endpoints yet" }).isVisible()) await screenshot(page, "endpoints-empty");

    await page.getByRole("link", { name: "Add an endpoint" }).first().click();
    await expect(page.getByRole("heading", { level: 1, name: "Add an endpoint" })).toBeVisible();

    // Nothing filled in: the shared schema's messages appear on the fields.
    await page.getByRole("button", { name: "Create endpoint" }).click();
    await expect(page.getByText("Give the endpoint a title")).toBeVisible();
    await expect(page.getByText("Enter the URL to deliver to")).toBeVisible();
    await page.getByLabel("Timeout", { exact: true }).fill("45");
    await page.getByRole("button", { name: "Create endpoint" }).click();
    await expect(page.getByText("The timeout is between 1 and 30 seconds")).toBeVisible();
    await screenshot(page, "endpoint-form-errors");

    const title = `Call tracking ${unique()}`;
    await page.getByLabel("Start from a product preset").selectOption("call-tracking");
    await expect(page.getByLabel("Scheme")).toHaveValue("hmac-sha1");
    await expect(page.getByLabel("Signature header")).toHaveValue("X-CALLTRACKING-SIGNATURE");
    await expect(page.getByLabel("Timeout", { exact: true })).toHaveValue("15");

    await page.getByLabel("Title").fill(title);
    await page.getByLabel("URL").fill(receiver.url);
    await expect(page.getByText("This URL uses http://")).toBeVisible();
    await expect(page.getByText("127.0.0.1 is a private or loopback address")).toBeVisible();

    await page.getByRole("radio", { name: /Selected events/ }).check();
    await page.getByLabel("Search event types").fill("call:");
    await page.getByRole("checkbox", { name: /^call:completed/ }).check();
    await page.getByRole("checkbox", { name: /^call:missed/ }).check();
    await expect(page.getByText("2 selected")).toBeVisible();

    await page.getByLabel("Accounts").fill("acc_1");
    await page.getByLabel("Accounts").press("Enter");
    await page.getByRole("button", { name: "Add condition" }).click();
    await page.getByLabel("Condition 1 field path").fill("duration");
    await page.getByLabel("Condition 1 operator").selectOption("gte");
    await page.getByLabel("Condition 1 value").fill("30");

    // The live preview runs explainMatch on call:completed's example (acc_1, 142 s).
    const preview = page.getByRole("list", { name: "Checks" });
    await expect(page.getByText("Would be delivered")).toBeVisible();
    await expect(preview).toContainText("duration is 142, needs ≥ 30");
    await page.getByLabel("Example payload").fill(JSON.stringify(callPayload(12)));
    await expect(page.getByText("Would be skipped")).toBeVisible();
    await expect(preview).toContainText("duration is 12, needs ≥ 30");
    await page.getByLabel("Example payload").fill(JSON.stringify(callPayload(45)));
    await expect(page.getByText("Would be delivered")).toBeVisible();
    // Custom headers start secret; a credential-looking name cannot be made visible.
    await page.getByRole("button", { name: "Add header" }).click();
    await page.getByLabel("Header 1 name").fill("X-Api-Key");
    await page.getByLabel("Header 1 value").fill("calltracking-key-1");
    await expect(page.getByLabel("Header 1 is secret")).toBeChecked();
    await expect(page.getByLabel("Header 1 is secret")).toBeDisabled();
    await page.getByRole("button", { name: "Add header" }).click();
    await page.getByLabel("Header 2 name").fill("X-Region");
    await page.getByLabel("Header 2 value").fill("eu-west");
    await page.getByLabel("Header 2 is secret").uncheck();
    await screenshot(page, "endpoint-form");
    // The header rows (name, value, Secret, remove) still fit a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    const headerRows = page.getByRole("group", { name: /Custom headers/ });
    await headerRows.scrollIntoViewIfNeeded();
    await headerRows.screenshot({ path: "test-results/screens/endpoint-form-headers-phone.png" });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1366, height: 900 });
    await expectAccessible(page, "endpoint-form");

    await page.getByRole("button", { name: "Create endpoint" }).click();
    const created = page.getByRole("dialog", { name: "Endpoint created" });
    await expect(created).toBeVisible();
    const shownOnce = (await created.getByLabel("Signing secret", { exact: true }).textContent())!.trim();
    expect(shownOnce).toMatch(/^whsec_/);
    await created.getByRole("button", { name: "Continue to the endpoint" }).click();
    await expect(page).toHaveURL(/\/endpoints\/ep_[0-9A-Z]+$/);
    const endpointId = page.url().split("/").pop()!;
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

    // Stored as configured (the API reads the same row).
    const stored = await (await api(request).get(`/endpoints/${endpointId}`)).json();
    expect(stored).toMatchObject({
      eventTypes: ["call:completed", "call:missed"],
      filter: { accounts: ["acc_1"], rules: [{ path: "duration", op: "gte", value: 30 }] },
      signature: { scheme: "hmac-sha1", header: "X-CALLTRACKING-SIGNATURE" },
      timeoutMs: 15000,
      headers: { "X-Api-Key": "calltracking-key-1", "X-Region": "eu-west" },
      secretHeaders: ["X-Api-Key"],
    });
    const customHeaders = page.getByText(/X-Api-Key \(secret\)/);
    await expect(customHeaders).toBeVisible();
    await expect(customHeaders).toContainText(/(^|, )X-Region(,|$)/); // visible: no "(secret)"
    await expect(page.getByText("No attempts yet")).toBeVisible();
    await screenshot(page, "endpoint-detail");
    await expectAccessible(page, "endpoint-detail");

    // Send test: the receiver's status and body come back into the panel.
    await expect(page.getByLabel("Event type", { exact: true })).toHaveValue("call:completed");
    await page.getByLabel("Payload", { exact: true }).fill("{ not json");
    await expect(page.getByText(/^Not valid JSON/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Send test" })).toBeDisabled();
    await page.getByRole("button", { name: "Reset to example" }).click();
    await page.getByRole("button", { name: "Send test" }).click();
    const result = page.getByRole("region", { name: "Test result" });
    await expect(result.getByText("200", { exact: true })).toBeVisible();
    await expect(result.getByLabel("Test response body", { exact: true })).toContainText('"handler": "calltracking"');
    await screenshot(page, "send-test-result");

    // The receiver got a request signed the seed-002 way: hex HMAC-SHA1 of the raw body, with the revealed secret.
    expect(receiver.received).toHaveLength(1);
    await page.getByRole("button", { name: "Reveal", exact: true }).click();
    await page.getByRole("dialog", { name: "Reveal the signing secret?" }).getByRole("button", { name: "Reveal secret" }).click();
    await expect(page.getByLabel("Signing secret", { exact: true })).toHaveText(shownOnce);
    const secret = shownOnce;
    const [request0] = receiver.received;
    expect(request0!.headers["x-calltracking-signature"]).toBe(createHmac("sha1", secret).update(request0!.body).digest("hex"));
    expect(JSON.parse(request0!.body)).toMatchObject({ event: "call:completed", account: "acc_1", duration: 142 });

    // The attempt is in the live list; the inspector shows the signed request and the response.
    await expect(attemptRows(page)).toHaveCount(1);
    await expect(attemptRows(page).first()).toContainText("Test");
    await attemptRows(page).first().getByRole("button", { name: /inspect attempt 1 of call:completed/ }).click();
    const inspector = page.getByRole("dialog", { name: "Attempt #1 · call:completed" });
    await expect(inspector.getByRole("table", { name: "Request headers" })).toContainText("X-CALLTRACKING-SIGNATURE");
    // The visible header is kept in the attempt, the secret one redacted (the receiver got both).
    expect(request0!.headers["x-api-key"]).toBe("calltracking-key-1");
    await expect(inspector.getByRole("table", { name: "Request headers" })).toContainText("eu-west");
    await expect(inspector.getByRole("table", { name: "Request headers" })).not.toContainText("calltracking-key-1");
    await expect(inspector.getByLabel("Request body", { exact: true })).toContainText('"call_id": "call_5f2b7c91"');
    await expect(inspector.getByLabel("Response body", { exact: true })).toContainText("calltracking");
    // The dialog is the subject: a viewport shot, not the whole page behind it.
    await page.screenshot({ path: "test-results/screens/attempt-inspector.png" });
    await inspector.getByRole("button", { name: "Close" }).click();

    // A matching and a non-matching event: exactly one new attempt appears, without reloading.
    const matching = await api(request).post("/messages", { eventType: "call:completed", payload: callPayload(45) });
    expect(matching.status()).toBe(202);
    const short = await api(request).post("/messages", { eventType: "call:completed", payload: callPayload(10) });
    expect(short.status()).toBe(202);
    expect((await short.json()).deliveries.filter((delivery: { endpointId: string }) => delivery.endpointId === endpointId)).toHaveLength(0);
    await expect(attemptRows(page)).toHaveCount(2, { timeout: 15_000 });
    await expect(attemptRows(page).first()).toContainText("Scheduled");
    // "Nothing more arrives": a matching marker published after the short call shows up, and
    // the short call never does (the 45 s call was recorded before the marker was published).
    const marker = await api(request).post("/messages", { eventType: "call:completed", payload: callPayload(99) });
    expect(marker.status()).toBe(202);
    await expect(attemptRows(page)).toHaveCount(3, { timeout: 15_000 });
    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(3);
    expect(receiver.received.map((hit) => JSON.parse(hit.body).duration).slice(1)).toEqual([45, 99]);
  } finally {
    await receiver.close();
  }
});

test("a failing receiver's attempt shows its error, and Resend succeeds once the receiver is fixed", async ({ page, request }) => {
  const receiver = await startReceiver(() => ({ status: 500, body: '{"error":"database is down"}' }));
  try {
    const response = await api(request).post("/endpoints", {
      title: `Flaky CRM ${unique()}`,
      url: receiver.url,
      eventTypes: ["call:completed"],
      filter: { accounts: ["acc_1"] },
      signature: { scheme: "hmac-sha1", header: "X-CALLTRACKING-SIGNATURE" },
      retryPolicy: { preset: "none" },
      timeoutMs: 5000,
    });
    expect(response.status()).toBe(201);
    const endpoint = await response.json();
    await page.goto(`/endpoints/${endpoint.id}`);
    await expect(page.getByText("No attempts yet")).toBeVisible();

    const published = await api(request).post("/messages", { eventType: "call:completed", payload: callPayload(60) });
    expect(published.status()).toBe(202);

    // Live: the failed attempt appears with the receiver's status, no reload.
    await expect(attemptRows(page)).toHaveCount(1, { timeout: 15_000 });
    const failed = attemptRows(page).first();
    await expect(failed).toContainText("500");
    await expect(failed).toContainText("Scheduled");
    await failed.getByRole("button", { name: /inspect attempt/ }).click();
    const inspector = page.getByRole("dialog", { name: "Attempt #1 · call:completed" });
    await expect(inspector.getByLabel("Response body", { exact: true })).toContainText("database is down");
    await inspector.getByRole("button", { name: "Close" }).click();

    receiver.setResponder(() => ({ status: 200, body: '{"ok":true}' }));
    await failed.getByRole("button", { name: /Resend the delivery/ }).click();
    await expect(page.getByText("Resend queued")).toBeVisible();
    await expect(attemptRows(page)).toHaveCount(2, { timeout: 15_000 });
    const resent = attemptRows(page).first();
    await expect(resent).toContainText("200");
    await expect(resent).toContainText("Resend");
    await expect(resent).toContainText("#2");
    // The fixed attempt has no Resend button; the old failed one keeps its.
    await expect(resent.getByRole("button", { name: /Resend the delivery/ })).toHaveCount(0);
    expect(receiver.received).toHaveLength(2);

    await page.goto("/endpoints");
    const row = page.getByRole("row", { name: new RegExp(endpoint.title) });
    await expect(row).toContainText("50%");
    await expect(row).toContainText("1 of 2 attempts");
    await screenshot(page, "endpoints-list");
    await expectAccessible(page, "endpoints-list");
  } finally {
    await receiver.close();
  }
});

test("the secret is revealed only after confirmation, and rotating it changes the revealed secret", async ({ page, request }) => {
  const response = await api(request).post("/endpoints", { title: `Rotating ${unique()}`, url: "https://example.com/webhooks" });
  expect(response.status()).toBe(201);
  const endpoint = await response.json();
  await page.goto(`/endpoints/${endpoint.id}`);

  const secretBox = page.getByLabel("Signing secret", { exact: true });
  await expect(secretBox).toContainText("••••");
  await expect(page.getByText(endpoint.secret)).toHaveCount(0);

  // Cancelling the confirmation reveals nothing.
  await page.getByRole("button", { name: "Reveal", exact: true }).click();
  const reveal = page.getByRole("dialog", { name: "Reveal the signing secret?" });
  await reveal.getByRole("button", { name: "Cancel" }).click();
  await expect(secretBox).toContainText("••••");

  await page.getByRole("button", { name: "Reveal", exact: true }).click();
  await reveal.getByRole("button", { name: "Reveal secret" }).click();
  await expect(secretBox).toHaveText(endpoint.secret);
  await expect(page.getByRole("tab", { name: "Node.js" })).toBeVisible();
  await expect(page.getByLabel("Node.js verification")).toContainText("standardwebhooks");
  await screenshot(page, "secret-revealed");

  await page.getByRole("button", { name: "Rotate", exact: true }).click();
  const rotate = page.getByRole("dialog", { name: "Rotate the signing secret?" });
  await expect(rotate).toContainText("24 hours");
  await rotate.getByRole("button", { name: "Rotate secret" }).click();
  await expect(secretBox).not.toHaveText(endpoint.secret);
  const rotated = (await secretBox.textContent())!.trim();
  expect(rotated).toMatch(/^whsec_/);
  await expect(page.getByText(/previous secret also signs every request until/)).toBeVisible();

  // A fresh reveal (after a reload) returns the new secret, as does the API.
  await page.reload();
  await page.getByRole("button", { name: "Reveal", exact: true }).click();
  await reveal.getByRole("button", { name: "Reveal secret" }).click();
  await expect(secretBox).toHaveText(rotated);
  expect((await (await api(request).get(`/endpoints/${endpoint.id}/secret`)).json()).secret).toBe(rotated);

  // Editing keeps what the form does not show and changes what it does.
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByLabel("Title")).toHaveValue(endpoint.title);
  await page.getByLabel("Title").fill(`${endpoint.title} (renamed)`);
  await page.getByLabel("Retry policy").selectOption("custom");
  await page.getByLabel("Delays between attempts").fill("10s, 1m, nonsense");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText('"nonsense" is not a delay')).toBeVisible();
  await page.getByLabel("Delays between attempts").fill("10s, 1m, 10m");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${endpoint.title} (renamed)` })).toBeVisible();
  const saved = await (await api(request).get(`/endpoints/${endpoint.id}`)).json();
  expect(saved.retryPolicy).toEqual({ preset: "custom", delaysMs: [10_000, 60_000, 600_000] });
});

test("seed settings in the form: a per-event filter with its live preview, a preset's HTTPS, timestamp and header choices, auto-disable", async ({ page, request }) => {
  await page.goto("/endpoints/new");
  await expect(page.getByRole("heading", { level: 1, name: "Add an endpoint" })).toBeVisible();

  // Seed 001's preset: HTTPS only, event-time timestamp, none of Hookline's headers; an http:// URL is flagged before saving.
  await page.getByLabel("Start from a product preset").selectOption("lead-magnet");
  await expect(page.getByRole("switch", { name: "Require HTTPS" })).toBeChecked();
  await expect(page.getByLabel("Timestamp", { exact: true })).toHaveValue("event");
  await expect(page.getByRole("switch", { name: "Send Hookline's own headers" })).not.toBeChecked();
  await expect(page.getByText(/caps Retry-After/)).toBeVisible();
  await expect(page.getByText(/Retry-After can lengthen a wait up to the maximum delay \(30 s\), never beyond/)).toBeVisible();
  await page.getByLabel("URL").fill("http://127.0.0.1:9/hook");
  await expect(page.getByText("This endpoint requires HTTPS: an http:// URL will be refused when you save.")).toBeVisible();

  // Seed 002's "Customize this event": long calls of acc_1 only, missed calls unfiltered.
  await page.getByLabel("Start from a product preset").selectOption("call-tracking");
  await expect(page.getByRole("switch", { name: "Require HTTPS" })).not.toBeChecked();
  await expect(page.getByRole("switch", { name: "Jitter (±20 %)" })).toBeChecked();
  await expect(page.getByLabel("Auto-disable after")).toHaveValue("10");
  await expect(page.getByRole("switch", { name: "410 Gone disables at once" })).toBeChecked();
  const title = `Per-event ${unique()}`;
  await page.getByLabel("Title").fill(title);
  await page.getByRole("radio", { name: /Selected events/ }).check();
  await page.getByLabel("Search event types").fill("call:");
  await page.getByRole("checkbox", { name: /^call:completed/ }).check();
  await page.getByRole("checkbox", { name: /^call:missed/ }).check();
  await page.getByRole("button", { name: "Add a filter for one event" }).click();
  await expect(page.getByLabel("Filter 1 applies to")).toHaveValue("call:completed");
  await page.getByLabel("Accounts for this event").fill("acc_1");
  await page.getByLabel("Accounts for this event").press("Enter");
  await page.getByRole("button", { name: "Add condition for call:completed" }).click();
  await page.getByLabel("call:completed condition 1 field path", { exact: true }).fill("duration");
  await page.getByLabel("call:completed condition 1 operator", { exact: true }).selectOption("gte");
  await page.getByLabel("call:completed condition 1 value", { exact: true }).fill("30");

  const preview = page.getByRole("list", { name: "Checks" });
  await expect(page.getByText("Would be delivered")).toBeVisible();
  await expect(preview).toContainText("call:completed filter: duration is 142, needs ≥ 30");
  await page.getByLabel("Example payload").fill(JSON.stringify(callPayload(12)));
  await expect(page.getByText("Would be skipped")).toBeVisible();
  await expect(preview).toContainText("call:completed filter: duration is 12, needs ≥ 30");
  await page.getByLabel("Auto-disable after").fill("3");
  await page.getByText("410 Gone disables at once", { exact: true }).click();
  await expect(page.getByRole("switch", { name: "410 Gone disables at once" })).not.toBeChecked();
  await expect(page.getByText("410 Gone counts as an ordinary failure.")).toBeVisible();
  await screenshot(page, "endpoint-form-per-event-filter");
  // The same form on a phone: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 900 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await screenshot(page, "endpoint-form-per-event-filter-phone");
  await page.setViewportSize({ width: 1366, height: 900 });

  await page.getByLabel("URL").fill("https://example.com/calls");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  const created = page.getByRole("dialog", { name: "Endpoint created" });
  await created.getByRole("button", { name: "Continue to the endpoint" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText("Only for")).toBeVisible();
  await expect(page.getByText("410 Gone counts as one more failure")).toBeVisible();
  const endpointId = page.url().split("/").pop()!;
  const stored = await (await api(request).get(`/endpoints/${endpointId}`)).json();
  expect(stored).toMatchObject({
    eventTypes: ["call:completed", "call:missed"],
    filter: { events: { "call:completed": { accounts: ["acc_1"], rules: [{ path: "duration", op: "gte", value: 30 }] } } },
    signature: { scheme: "hmac-sha1", header: "X-CALLTRACKING-SIGNATURE", hooklineHeaders: false },
    failureThreshold: 3,
    disableOnGone: false,
    requireHttps: false,
  });
  await screenshot(page, "endpoint-detail-seed-settings");
});
