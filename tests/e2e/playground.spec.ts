import { expect, test } from "@playwright/test";
import { api, screenshot, signIn, startReceiver } from "./helpers";
import { expectAccessible } from "./a11y";

// Real deliveries through the engine: give a loaded CI machine room.
test.describe.configure({ timeout: 120_000 });

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

test("the playground publishes like the app would and explains each endpoint's match", async ({ page, request }) => {
  const receiver = await startReceiver();
  const account = `acc_pg_${run}`;
  const title = `Playground ${run}`;
  expect((await api(request).post("/event-types/presets", { preset: "call-tracking" })).status()).toBe(201);
  const endpoint = await api(request).post("/endpoints", {
    title,
    url: receiver.url,
    eventTypes: ["call:completed"],
    filter: { accounts: [account], rules: [{ path: "duration", op: "gte", value: 30 }] },
  });
  expect(endpoint.status()).toBe(201);

  await signIn(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Playground" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Playground" })).toBeVisible();

  await page.getByLabel("Event type").fill("call:completed");
  await expect(page.getByLabel("Payload", { exact: true })).toHaveValue(/"call_id": "call_5f2b7c91"/); // prefilled from the example
  await page.getByLabel("Account").fill(account);
  await page.getByLabel("Duration (s)").fill("45");
  await expect(page.getByLabel("Payload", { exact: true })).toHaveValue(/"duration": 45/);
  await expect(page.getByLabel("Payload", { exact: true })).toHaveValue(new RegExp(`"account": "${account}"`));
  await page.getByRole("button", { name: "Publish" }).click();

  const entry = page.getByRole("listitem", { name: `Endpoint ${title}` });
  await expect(entry.getByText("Matched", { exact: true })).toBeVisible();
  await expect(entry.getByText(`Account "${account}" is accepted`)).toBeVisible();
  await expect(entry.getByText("duration is 45, needs ≥ 30")).toBeVisible();
  await expect(entry.getByRole("img", { name: "passed" })).toHaveCount(3);
  await expect(entry.getByRole("img", { name: "failed" })).toHaveCount(0);
  await expect(entry.locator(`[aria-label^="Delivery created as Pending"]`)).toBeVisible();
  await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(1);
  expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ account, duration: 45, event: "call:completed" });
  await expect(entry.getByText("Succeeded")).toBeVisible({ timeout: 20_000 });
  const firstId = await page.getByRole("link", { name: "Open message" }).textContent();
  await screenshot(page, "playground-result");
  await expectAccessible(page, "playground-result");

  await page.getByLabel("Duration (s)").fill("12");
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("link", { name: "Open message" })).not.toHaveText(firstId!);
  await expect(entry.getByText("Not matched")).toBeVisible();
  const failing = entry.getByRole("listitem").filter({ has: page.getByRole("img", { name: "failed" }) });
  await expect(failing).toHaveCount(1);
  await expect(failing).toHaveText("duration is 12, needs ≥ 30");
  // "Nothing more arrives": a matching marker published after it arrives, the 12 s call never does.
  await page.getByLabel("Duration (s)").fill("99");
  await page.getByRole("button", { name: "Publish" }).click();
  await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(2);
  expect(receiver.received.map((hit) => JSON.parse(hit.body).duration)).toEqual([45, 99]);

  // The message link opens the log's detail.
  await page.getByRole("link", { name: "Open message" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "call:completed" })).toBeVisible();
  await receiver.close();
});
