import { expect, test } from "@playwright/test";
import { api, screenshot, signIn } from "./helpers";

const tag = Date.now().toString(36);
const viewer = { email: `viewer-${tag}@example.com`, password: "viewer password 1234" };

test("a viewer sees everything read-only and the server refuses their writes", async ({ page, browser, request }) => {
  // Something to look at: an endpoint and an event type, made by the admin's key.
  const endpoint = await api(request).post("/endpoints", { title: `Viewer sees ${tag}`, url: "https://example.com/hooks", eventTypes: [] });
  expect(endpoint.status()).toBe(201);
  const eventType = await api(request).post("/event-types", { name: `viewer.check_${tag}`, description: "For the viewer test" });
  expect(eventType.status()).toBe(201);

  // The owner invites a viewer through the settings page.
  await signIn(page);
  await page.goto("/settings");
  await page.getByRole("button", { name: "Invite member" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite a member" });
  await dialog.getByLabel("Email").fill(viewer.email);
  await dialog.getByLabel("Initial password").fill(viewer.password);
  await dialog.getByLabel("Role").selectOption("VIEWER");
  await dialog.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByText(`Invited ${viewer.email}`)).toBeVisible();

  // The viewer, in a browser of their own.
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 1366, height: 900 } });
  const as = await context.newPage();
  try {
    await signIn(as, viewer);
    await expect(as.locator("aside")).toContainText("viewer");

    await as.goto("/endpoints");
    await expect(as.getByText(`Viewer sees ${tag}`)).toBeVisible();
    await expect(as.getByRole("link", { name: /add an endpoint/i })).toHaveCount(0);
    await expect(as.getByRole("button", { name: /^(add|create|new|edit|delete|disable|enable)\b/i })).toHaveCount(0);
    await screenshot(as, "viewer-endpoints");

    await as.goto("/event-types");
    await expect(as.getByText(`viewer.check_${tag}`).first()).toBeVisible();
    await expect(as.getByRole("button", { name: /^(create|import|edit|archive)\b/i })).toHaveCount(0);

    await as.goto("/settings");
    await expect(as.getByText("You have read-only access")).toBeVisible();
    await expect(as.getByRole("table", { name: "API keys" })).toBeVisible();
    await expect(as.getByRole("table", { name: "Members" })).toContainText(viewer.email);
    await expect(as.getByRole("button", { name: /create key|revoke|invite member|save name|remove/i })).toHaveCount(0);
    await expect(as.getByRole("combobox")).toHaveCount(0);
    await expect(as.getByRole("textbox", { name: "Workspace name" })).toHaveCount(0);
    await screenshot(as, "viewer-settings");

    // Not just hidden: the viewer's own session cookie gets 403 from write routes, and nothing is written.
    const title = `Viewer tried ${tag}`;
    const write = await as.request.post("/api/v1/endpoints", { data: { title, url: "https://example.com/nope" } });
    expect(write.status()).toBe(403);
    expect((await write.json()).error.code).toBe("forbidden");
    const publish = await as.request.post("/api/v1/messages", { data: { eventType: `viewer.check_${tag}`, payload: {} } });
    expect(publish.status()).toBe(403);
    const read = await as.request.get("/api/v1/endpoints");
    expect(read.status()).toBe(200);
    const list = (await (await api(request).get("/endpoints")).json()).data as Array<{ title: string }>;
    expect(list.map((item) => item.title)).not.toContain(title);
  } finally {
    await context.close();
  }
});
