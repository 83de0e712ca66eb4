import { expect, test } from "@playwright/test";
import { api, screenshot, signIn, startReceiver } from "./helpers";
import { expectAccessible } from "./a11y";

const tag = Date.now().toString(36);
const eventType = `overview.check_${tag}`;
const failingTitle = `Overview failing ${tag}`;
const okTitle = `Overview healthy ${tag}`;
const pausedTitle = `Overview paused ${tag}`;

test("after deliveries: volume, the failing endpoint with its reason, and the failed attempts", async ({ page, request }) => {
  const ok = await startReceiver();
  const bad = await startReceiver(() => ({ status: 500, body: '{"error":"database unavailable"}' }));
  try {
    const create = async (title: string, url: string) => {
      const response = await api(request).post("/endpoints", { title, url, eventTypes: [eventType], retryPolicy: { preset: "none" } });
      expect(response.status(), await response.text()).toBe(201);
      return (await response.json()).id as string;
    };
    await create(okTitle, ok.url);
    const badId = await create(failingTitle, bad.url);
    const pausedId = await create(pausedTitle, ok.url);
    expect((await api(request).post(`/endpoints/${pausedId}/disable`)).status()).toBe(200);

    for (let n = 1; n <= 3; n++) {
      const response = await api(request).post("/messages", { eventType, payload: { n, duration: 30 + n } });
      expect(response.status()).toBe(202);
      const body = await response.json();
      expect(body.deliveries.map((delivery: { endpointId: string }) => delivery.endpointId)).toContain(badId);
    }
    await expect.poll(() => bad.received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(() => ok.received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    await expect
      .poll(async () => (await (await api(request).get(`/endpoints/${badId}/attempts?limit=10`)).json()).data.length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(3);

    await signIn(page);
    await page.goto("/");
    const deliveries = page.getByText("Deliveries · 24 h", { exact: true }).locator("xpath=following-sibling::dd[1]");
    expect(Number((await deliveries.textContent())!.replace(/,/g, ""))).toBeGreaterThanOrEqual(6);

    const attention = page.getByRole("list", { name: "Endpoints needing attention" });
    const failing = attention.getByRole("link").filter({ hasText: failingTitle });
    await expect(failing).toContainText("Failing");
    await expect(failing).toContainText("HTTP 500");
    await expect(attention.getByRole("link").filter({ hasText: okTitle })).toHaveCount(0);
    const paused = attention.getByRole("link").filter({ hasText: pausedTitle });
    await expect(paused).toContainText("Disabled");
    await expect(paused).toContainText("Disabled by a user");

    const failures = page.getByRole("table", { name: "Recent failures" });
    const row = failures.getByRole("row").filter({ hasText: failingTitle }).first();
    await expect(row).toContainText(eventType);
    await expect(row).toContainText("HTTP 500");

    await expect(page.getByRole("img", { name: /Bar chart of delivery attempts/ })).toBeVisible();
    await screenshot(page, "overview");
    await expectAccessible(page, "overview");

    await page.getByRole("button", { name: "14 days" }).click();
    await expect(page.getByRole("button", { name: "14 days" })).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByRole("img", { name: /per day/ })).toBeVisible();

    await failing.click();
    await expect(page).toHaveURL(new RegExp(`/endpoints/${badId}$`));
  } finally {
    await ok.close();
    await bad.close();
  }
});

test("runs: the local engine's runs, live, with a run's steps", async ({ page, request }) => {
  // axe and the Tab walk over a live 50-row table take most of a minute on a loaded 2-core machine.
  test.setTimeout(120_000);
  // Its own failed delivery (no retries), so this test does not lean on the one above.
  const bad = await startReceiver(() => ({ status: 500, body: "down" }));
  let failedDeliveryId = "";
  try {
    const endpoint = await api(request).post("/endpoints", { title: `Runs ${tag}`, url: bad.url, eventTypes: [`runs.check_${tag}`], retryPolicy: { preset: "none" } });
    expect(endpoint.status()).toBe(201);
    const endpointId = (await endpoint.json()).id as string;
    // Three messages in one request: one statement, so one request event (and one batch run) for their three deliveries here.
    const published = await api(request).post("/messages/batch", { messages: [1, 2, 3].map((n) => ({ eventType: `runs.check_${tag}`, payload: { n } })) });
    expect(published.status()).toBe(202);
    // Other specs' endpoints that take every event get a delivery too: pick this endpoint's.
    failedDeliveryId = (await published.json()).data[0].deliveries.find((delivery: { endpointId: string }) => delivery.endpointId === endpointId).id;
    await expect.poll(() => bad.received.length, { timeout: 20_000 }).toBe(3);
  } finally {
    await bad.close();
  }
  await signIn(page);
  await page.goto("/runs");
  const table = page.getByRole("table", { name: "Function runs" });
  // The first attempt runs in a batched run; a delivery may also have a run that waits for retries.
  const row = table.getByRole("row").filter({ hasText: failedDeliveryId }).filter({ hasText: "Completed" }).first();
  await expect(row).toContainText("hookline/delivery.requested");
  await expect(row).toContainText("Deliver");
  await expect(row).toContainText("Completed");
  await row.getByRole("button", { name: /Show steps of run/ }).click();
  // The batch run has no steps (one call, see inngest/functions/deliver.ts); its output counts the batch.
  await expect(page.getByText("No steps: the function did its work in one call.").first()).toBeVisible();
  await expect(page.getByLabel("Run output").first()).toContainText('"deliveries": 3');
  await expect(row).toContainText("and 2 more deliveries in this run");
  await screenshot(page, "runs");
  await expectAccessible(page, "runs");

  await page.getByLabel("Status").selectOption("FAILED");
  await expect(table.getByRole("row").filter({ hasText: failedDeliveryId })).toHaveCount(0);
  await page.getByLabel("Status").selectOption("COMPLETED");
  // One or more: a batch whose request outlives its patience leaves a short-lived wake-up run
  // behind it (inngest/functions/deliver.ts), and each of those completes too.
  const completed = table.getByRole("row").filter({ hasText: failedDeliveryId });
  await expect(completed.first()).toBeVisible();
  for (const completedRow of await completed.all()) await expect(completedRow).toContainText("Completed");
});
