import { expect, test } from "@playwright/test";
import { api, screenshot, signIn, startReceiver } from "./helpers";

// The headline story across two pages: the endpoint's "Last 10 attempts" stays open
// while events are fired from the playground in another tab; exactly the matching one shows
// up there, without a reload.
test("a matching playground event appears in the endpoint's last 10 attempts live; a non-matching one does not", async ({ page, context, request }) => {
  test.setTimeout(120_000);
  const receiver = await startReceiver();
  const unique = Date.now().toString(36);
  const account = `acc_story_${unique}`;
  const title = `Story ${unique}`;
  await api(request).post("/event-types/presets", { preset: "call-tracking" });
  const created = await api(request).post("/endpoints", {
    title,
    url: receiver.url,
    eventTypes: ["call:completed", "call:missed"],
    filter: { accounts: [account], rules: [{ path: "duration", op: "gte", value: 30 }] },
    signature: { scheme: "hmac-sha1", header: "X-CALLTRACKING-SIGNATURE" },
  });
  expect(created.status()).toBe(201);
  const endpoint = await created.json();

  await signIn(page);
  await page.goto(`/endpoints/${endpoint.id}`);
  const attempts = page.getByRole("table", { name: "Last 10 attempts" });
  await expect(page.getByText("No attempts yet")).toBeVisible();

  const playground = await context.newPage();
  await playground.goto("/playground");
  await playground.getByLabel("Event type").fill("call:completed");
  await playground.getByLabel("Account").fill(account);
  await playground.getByLabel("Duration (s)").fill("45");
  await playground.getByRole("button", { name: "Publish" }).click();
  await expect(playground.getByRole("listitem", { name: `Endpoint ${title}` })).toBeVisible();
  await playground.getByLabel("Duration (s)").fill("12");
  await playground.getByRole("button", { name: "Publish" }).click();
  await expect(playground.getByRole("listitem", { name: `Endpoint ${title}` }).getByRole("img", { name: "failed" })).toHaveCount(1);

  // Back on the endpoint page, untouched: the live list shows the one delivered event.
  await expect(attempts.getByRole("row")).toHaveCount(2, { timeout: 20_000 }); // header + 1
  await expect(attempts).toContainText("call:completed");
  await expect(attempts).toContainText("200");
  expect(JSON.parse(receiver.received[0]!.body).duration).toBe(45);
  await screenshot(page, "story-live-attempt");
  // "Nothing more arrives": a matching marker fired after the 12 s call appears as the second
  // row; the 12 s call never reached the receiver.
  await playground.getByLabel("Duration (s)").fill("99");
  await playground.getByRole("button", { name: "Publish" }).click();
  await expect(attempts.getByRole("row")).toHaveCount(3, { timeout: 20_000 });
  await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(2);
  expect(receiver.received.map((hit) => JSON.parse(hit.body).duration)).toEqual([45, 99]);
  await receiver.close();
});
