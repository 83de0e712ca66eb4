import { expect, test } from "@playwright/test";
import { screenshot, signIn } from "./helpers";
import { expectAccessible } from "./a11y";

const tag = Date.now().toString(36);

test("an API key is shown once, works against the API, and stops working when revoked", async ({ page, request }) => {
  await signIn(page);
  await page.goto("/settings");
  const keys = page.getByRole("table", { name: "API keys" });
  await expect(keys).toBeVisible();
  await screenshot(page, "settings-api-keys");
  await expectAccessible(page, "settings-api-keys");

  const name = `CI key ${tag}`;
  await page.getByRole("button", { name: "Create key" }).click();
  const createDialog = page.getByRole("dialog", { name: "Create an API key" });
  // Submitting without a name is refused in the form, before any request.
  await createDialog.getByRole("button", { name: "Create key" }).click();
  await expect(createDialog.getByText("Name the key")).toBeVisible();
  await createDialog.getByLabel("Name").fill(name);
  await createDialog.getByLabel("Access").selectOption("ADMIN");
  await createDialog.getByRole("button", { name: "Create key" }).click();

  const shown = page.getByRole("dialog", { name: "Copy your new API key" });
  await expect(shown.getByRole("alert")).toContainText("only time");
  const key = await shown.getByLabel("API key").inputValue();
  expect(key).toMatch(/^hk_[A-Za-z0-9_-]{32}$/);
  await expect(shown.getByRole("button", { name: "Copy" })).toBeVisible();
  await screenshot(page, "api-key-created-dialog");

  const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${key}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ role: "ADMIN", actor: { type: "apiKey" } });

  await shown.getByRole("button", { name: "I have stored it" }).click();
  await expect(shown).toBeHidden();
  const row = keys.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText(`${key.slice(0, 10)}…`);
  await expect(row).toContainText("Active");
  // Shown once: after the dialog closes, the page holds only the prefix, even after a reload.
  await page.reload();
  await expect(page.locator("body")).not.toContainText(key);
  await expect(row).toContainText("Active");

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  const confirm = page.getByRole("dialog", { name: "Revoke API key" });
  await expect(confirm).toContainText(name);
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByText(`Revoked “${name}”`)).toBeVisible();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: `Revoke ${name}` })).toHaveCount(0);

  // Verified keys may be cached in-process for a few seconds (lib/features/settings/api-keys.ts), so allow that window.
  await expect
    .poll(async () => (await request.get("/api/v1/me", { headers: { authorization: `Bearer ${key}` } })).status(), { timeout: 10_000 })
    .toBe(401);
});

test("renaming the workspace shows the new name in the shell", async ({ page }) => {
  await signIn(page);
  await page.goto("/settings");
  const input = page.getByLabel("Workspace name");
  const save = page.getByRole("button", { name: "Save name" });
  // Typed before the form hydrated, a value is reset to the saved name (and Save stays disabled);
  // typed while it hydrates, it can land after the old name (the selection is lost mid-fill):
  // type again until the form holds exactly the value.
  const saveName = async (value: string) => {
    await expect(async () => {
      await input.fill(value);
      await expect(input).toHaveValue(value, { timeout: 500 });
      await expect(save).toBeEnabled({ timeout: 1_000 });
      await expect(input).toHaveValue(value, { timeout: 100 });
    }).toPass({ timeout: 20_000 });
    await save.click();
  };
  const original = await input.inputValue();
  const renamed = `Acme Calls ${tag}`;
  try {
    await saveName(renamed);
    await expect(page.getByText(`Renamed the workspace to “${renamed}”`)).toBeVisible();
    const sidebar = page.locator("aside");
    await expect(sidebar).toContainText(renamed);
    await page.goto("/");
    await expect(sidebar).toContainText(renamed);
    await expect(page.getByText(`How deliveries from ${renamed} are doing.`)).toBeVisible();

    await page.goto("/settings");
    await saveName("   ");
    await expect(page.getByText("Name your workspace")).toBeVisible();
  } finally {
    // Other specs share this workspace: give it its name back (if it was renamed at all).
    await page.goto("/settings");
    if ((await input.inputValue()) !== original) {
      await saveName(original);
      await expect(page.locator("aside")).toContainText(original);
    }
  }
});

test("an owner invites a member, changes their role and removes them", async ({ page }) => {
  await signIn(page);
  await page.goto("/settings");
  const email = `member-${tag}@example.com`;
  await page.getByRole("button", { name: "Invite member" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite a member" });
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Initial password").fill("too short");
  await dialog.getByLabel("Role").selectOption("ADMIN");
  await dialog.getByRole("button", { name: "Invite" }).click();
  await expect(dialog.getByText("Use at least 12 characters")).toBeVisible();
  await dialog.getByRole("button", { name: "Generate" }).click();
  expect((await dialog.getByLabel("Initial password").inputValue()).length).toBe(20);
  await dialog.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByText(`Invited ${email}`)).toBeVisible();

  const members = page.getByRole("table", { name: "Members" });
  const row = members.getByRole("row").filter({ hasText: email });
  await expect(row.getByLabel(`Role of ${email}`)).toHaveValue("ADMIN");
  // The owner's own row: a sole owner cannot be demoted or removed.
  const you = members.getByRole("row").filter({ hasText: "You" });
  await expect(you.getByRole("combobox")).toHaveValue("OWNER");
  await screenshot(page, "settings-members");

  // Inviting the same email again is a conflict shown on the field.
  await page.getByRole("button", { name: "Invite member" }).click();
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Initial password").fill("a long enough password");
  await dialog.getByRole("button", { name: "Invite" }).click();
  await expect(dialog.getByText("already a member")).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await row.getByLabel(`Role of ${email}`).selectOption("VIEWER");
  await expect(page.getByText(`${email} is now viewer`)).toBeVisible();
  await expect(row.getByLabel(`Role of ${email}`)).toHaveValue("VIEWER");

  await row.getByRole("button", { name: `Remove ${email}` }).click();
  await page.getByRole("dialog", { name: "Remove member" }).getByRole("button", { name: "Remove" }).click();
  await expect(page.getByText(`Removed ${email}`)).toBeVisible();
  await expect(members.getByRole("row").filter({ hasText: email })).toHaveCount(0);
});
