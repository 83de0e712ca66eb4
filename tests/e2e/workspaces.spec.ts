import { expect, test, type Page } from "@playwright/test";
import { api, screenshot, signIn } from "./helpers";
import { expectAccessible } from "./a11y";

const tag = Date.now().toString(36);
const second = `Staging ${tag}`;
const gone = { email: `gone-${tag}@example.com`, password: "gone password 1234" };

const switcher = (page: Page) => page.getByRole("button", { name: /Switch workspace$/ }).locator("visible=true");

/**
 * One flow: the admin creates a second workspace, finds it empty, switches back, and a person
 * removed from their only workspace gets the page that says so. The admin ends where it began
 * (the console server is shared with the other specs).
 */
test("an owner creates a second workspace, switches between the two, and nothing crosses over", async ({ page, browser, request }) => {
  // Something only the original workspace has, made by its API key.
  const only = `Only in the original ${tag}`;
  expect((await api(request).post("/endpoints", { title: only, url: "https://example.com/hooks", eventTypes: [] })).status()).toBe(201);

  await signIn(page);
  await page.goto("/endpoints");
  await expect(page.getByRole("link", { name: only })).toBeVisible();
  const original = (await switcher(page).textContent())!.replace(/Hookline · Owner.*$/, "");

  // A second tab of the same browser, which must follow the switch rather than act on the old workspace.
  const otherTab = await page.context().newPage();
  await otherTab.goto("/endpoints");
  await expect(otherTab.getByRole("link", { name: only })).toBeVisible();

  await switcher(page).click();
  const menu = page.getByRole("menu", { name: "Workspaces" });
  await expect(menu.getByRole("menuitemradio", { checked: true })).toContainText(original);
  await screenshot(page, "workspace-switcher");
  await expectAccessible(page, "workspace-switcher", { keyboardWalk: false });
  await menu.getByRole("menuitem", { name: "Create workspace" }).click();

  const dialog = page.getByRole("dialog", { name: "Create a workspace" });
  await dialog.getByRole("button", { name: "Create workspace" }).click();
  await expect(dialog.getByText("Name your workspace")).toBeVisible();
  await dialog.getByLabel("Name").fill(original.toUpperCase());
  await dialog.getByRole("button", { name: "Create workspace" }).click();
  await expect(dialog.getByText(`You already have a workspace named “${original.toUpperCase()}”`)).toBeVisible();
  await expect(dialog.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await screenshot(page, "workspace-create-error");
  await dialog.getByLabel("Name").fill(second);
  await dialog.getByRole("button", { name: "Create workspace" }).click();

  // The new workspace: its overview, then an empty endpoint list, and the API with this session agrees.
  await expect(page).toHaveURL(/\/$/);
  await expect(switcher(page)).toContainText(second);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(switcher(otherTab)).toContainText(second);
  await expect(otherTab.getByRole("heading", { name: "No endpoints yet" })).toBeVisible();
  await otherTab.close();
  await page.goto("/endpoints");
  await expect(page.getByRole("heading", { name: "No endpoints yet" })).toBeVisible();
  await expect(page.getByText(only)).toHaveCount(0);
  const seen = await (await page.request.get("/api/v1/endpoints")).json();
  expect(seen.data).toEqual([]);
  await screenshot(page, "workspace-second-empty");

  // Someone invited to the new workspace and then removed from it is in no workspace at all.
  await page.goto("/settings");
  await page.getByRole("button", { name: "Invite member" }).click();
  const invite = page.getByRole("dialog", { name: "Invite a member" });
  await invite.getByLabel("Email").fill(gone.email);
  await invite.getByLabel("Initial password").fill(gone.password);
  await invite.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByText(`Invited ${gone.email}`)).toBeVisible();
  await page.getByRole("button", { name: `Remove ${gone.email}` }).click();
  await page.getByRole("dialog", { name: "Remove member" }).getByRole("button", { name: "Remove" }).click();
  await expect(page.getByText(`Removed ${gone.email}`)).toBeVisible();

  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 390, height: 844 } });
  const as = await context.newPage();
  try {
    await as.goto("/login");
    await as.getByLabel("Email").fill(gone.email);
    await as.getByLabel("Password").fill(gone.password);
    await as.getByRole("button", { name: "Sign in" }).click();
    await expect(as).toHaveURL(/\/no-workspace$/);
    await expect(as.getByRole("heading", { name: "You are not in any workspace" })).toBeVisible();
    await expect(as.getByText(gone.email)).toBeVisible();
    expect(await as.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(as, "workspace-none-390");
    await expectAccessible(as, "no-workspace");
    await as.goto("/endpoints");
    await expect(as).toHaveURL(/\/no-workspace$/);
  } finally {
    await context.close();
  }

  // Back to the original on a phone: the switcher sits in the slide-over menu.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/endpoints");
  await page.getByRole("button", { name: "Open menu" }).click();
  await switcher(page).click();
  await expect(page.getByRole("menu", { name: "Workspaces" }).getByRole("menuitemradio")).toHaveCount(2);
  await screenshot(page, "workspace-switcher-390");
  await page.getByRole("menuitemradio", { name: new RegExp(`^${original}`) }).click();
  await expect(page).toHaveURL(/\/endpoints$/);
  await expect(page.locator("header")).toContainText(original);
  await expect(page.getByRole("link", { name: only })).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await screenshot(page, "workspace-back-390");
});
