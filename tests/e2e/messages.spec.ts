import { expect, test, type APIRequestContext } from "@playwright/test";
import { api, E2E, screenshot, signIn, startReceiver } from "./helpers";
import { expectAccessible } from "./a11y";

// Real deliveries through the engine: give a loaded CI machine room.
test.describe.configure({ timeout: 120_000 });

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** Publishes with a hand-written body so the payload's exact bytes (spacing, key order, big numbers) are ours. */
async function publishRaw(request: APIRequestContext, eventType: string, account: string, payloadText: string) {
  const response = await request.post("/api/v1/messages", {
    headers: { authorization: `Bearer ${E2E.apiKey}`, "content-type": "application/json" },
    data: `{"eventType": "${eventType}", "account": "${account}", "payload": ${payloadText}}`,
  });
  expect(response.status()).toBe(202);
  return (await response.json()) as { id: string; deliveries: Array<{ id: string; status: string }> };
}

test("the message log filters by account, and a message shows its raw body and per-endpoint delivery", async ({ page, request }) => {
  await signIn(page);
  await page.goto("/messages");
  await expect(page.getByRole("heading", { level: 1, name: "Messages" })).toBeVisible();
  if (await page.getByRole("heading", { name: "No messages yet" }).isVisible()) {
    await expect(page.getByText("/api/v1/messages")).toBeVisible();
    await screenshot(page, "messages-empty");
  }

  const receiver = await startReceiver();
  const account = `acc_msg_${run}`;
  const title = `Messages ${run}`;
  const endpoint = await api(request).post("/endpoints", { title, url: receiver.url, eventTypes: ["call:completed"], filter: { accounts: [account] } });
  expect(endpoint.status()).toBe(201);

  const payloads = [1, 2, 3].map(
    (n) => `{ "call_id": "call_${run}_${n}",  "account": "${account}",\n  "10": "integer-like key stays second to last", "duration": ${40 + n}.50, "big": 12345678901234567890 }`,
  );
  const published = [];
  for (const payload of payloads) published.push(await publishRaw(request, "call:completed", account, payload));

  // The filter bar writes the URL; only this run's three messages carry this account.
  await page.goto("/messages");
  await page.getByLabel("Account").fill(account);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`account=${account}`));
  const rows = page.getByTestId("message-row");
  await expect(rows).toHaveCount(3);
  for (const message of published) await expect(page.getByRole("link", { name: message.id })).toBeVisible();
  // Newest first.
  await expect(rows.first()).toContainText(published[2]!.id);
  await expect(rows.first()).toContainText("call:completed");
  await screenshot(page, "messages-list");
  await expectAccessible(page, "messages-list");

  await page.goto(`/messages?account=${account}_nobody`);
  await expect(page.getByRole("heading", { name: "No messages match these filters" })).toBeVisible();
  await screenshot(page, "messages-filtered-empty");
  await page.getByRole("link", { name: "Clear filters" }).first().click();
  await expect(page).toHaveURL(/\/messages$/);

  await page.goto(`/messages?account=${account}`);
  await page.getByRole("link", { name: published[1]!.id }).click();
  await expect(page).toHaveURL(new RegExp(`/messages/${published[1]!.id}$`));
  await expect(page.getByRole("heading", { level: 1, name: "call:completed" })).toBeVisible();

  await page.getByRole("tab", { name: "Raw" }).click();
  const raw = await page.getByLabel("Raw body").textContent();
  expect(raw).toBe(payloads[1]);

  const delivery = page.getByRole("region", { name: `Delivery to ${title}` });
  await expect(delivery).toBeVisible();
  await expect(delivery.getByText("Succeeded")).toBeVisible({ timeout: 20_000 });
  await expect(delivery.getByTestId("attempt-row")).toHaveCount(1);
  await page.getByRole("tab", { name: "Pretty" }).click();
  await delivery.getByText("Attempt 1").click();
  await expect(delivery.getByText("HTTP 200", { exact: true })).toBeVisible();
  await screenshot(page, "message-detail");
  await expectAccessible(page, "message-detail");
  await receiver.close();
});

test("a failing endpoint's delivery shows its failed attempt, and Resend queues a new one that succeeds", async ({ page, request }) => {
  const receiver = await startReceiver(() => ({ status: 500, body: '{"error":"database unavailable"}' }));
  const account = `acc_fail_${run}`;
  const title = `Failing ${run}`;
  const endpoint = await api(request).post("/endpoints", {
    title,
    url: receiver.url,
    eventTypes: ["call:completed"],
    filter: { accounts: [account] },
    retryPolicy: { preset: "none" },
  });
  expect(endpoint.status()).toBe(201);
  const message = await publishRaw(request, "call:completed", account, `{"call_id": "call_fail_${run}", "duration": 61}`);

  await signIn(page);
  await page.goto(`/messages/${message.id}`);
  const delivery = page.getByRole("region", { name: `Delivery to ${title}` });
  await expect(delivery.getByText("Failed", { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(delivery.getByTestId("attempt-row")).toHaveCount(1);
  await delivery.getByText("Attempt 1").click();
  await expect(delivery.getByText("HTTP 500", { exact: true })).toBeVisible();
  await expect(delivery.getByText("database unavailable")).toBeVisible();

  receiver.setResponder(() => ({ status: 200, body: '{"ok":true}' }));
  await delivery.getByRole("button", { name: "Resend" }).click();
  await expect(page.getByText("Resend queued")).toBeVisible();
  await expect(delivery.getByTestId("attempt-row")).toHaveCount(2, { timeout: 20_000 });
  await expect(delivery.getByTestId("attempt-row").nth(1)).toContainText("manual");
  await expect(delivery.getByText("Succeeded")).toBeVisible({ timeout: 20_000 });
  expect(receiver.received).toHaveLength(2);
  await receiver.close();
});
