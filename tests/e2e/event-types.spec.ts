import { expect, test } from "@playwright/test";
import { screenshot, signIn } from "./helpers";
import { expectAccessible } from "./a11y";

// Real deliveries through the engine: give a loaded CI machine room.
test.describe.configure({ timeout: 120_000 });

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

test("import the call-tracking preset, then its four events are in the catalog", async ({ page }) => {
  await signIn(page);
  await page.goto("/event-types");
  await expect(page.getByRole("heading", { level: 1, name: "Event types" })).toBeVisible();
  if (await page.getByRole("heading", { name: "No event types yet" }).isVisible()) await screenshot(page, "event-types-empty");

  await page.getByRole("button", { name: "Import a preset" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Import a preset" });
  await expect(dialog.getByRole("listitem", { name: "Call tracking" })).toBeVisible();
  await expect(dialog.getByText("Signing: HMAC-SHA1 (X-CALLTRACKING-SIGNATURE)")).toBeVisible();
  await screenshot(page, "import-preset-dialog");
  await dialog.getByRole("button", { name: "Import Call tracking" }).click();
  // Another spec may have imported it already: then it says so instead of creating duplicates.
  await expect(page.getByText(/^\d+ created, \d+ already existed$/)).toBeVisible();
  await expect(dialog).toBeHidden();

  for (const name of ["call:completed", "call:missed", "call:ringing", "lead:created"]) {
    await expect(page.getByRole("button", { name, exact: true })).toBeVisible();
  }
  await page.getByRole("button", { name: "Show example of call:completed" }).click();
  await expect(page.getByLabel("Example payload of call:completed")).toContainText('"duration": 142');
  await screenshot(page, "event-types-list");
  await expectAccessible(page, "event-types-list");
});

test("create an event type with a JSON Schema: errors land on the fields, then archive hides it", async ({ page }) => {
  const name = `e2e.schema_${run}`;
  await signIn(page);
  await page.goto("/event-types");
  await page.getByRole("button", { name: "Create an event type" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create an event type" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Description").fill("A call with a duration in seconds.");

  // Client-side: the JSON itself.
  await dialog.getByLabel("Schema").fill("{ not json");
  await dialog.getByRole("button", { name: "Create event type" }).click();
  await expect(dialog.getByText(/^Not valid JSON/)).toBeVisible();

  // Server-side: an example that the schema refuses.
  await dialog
    .getByLabel("Schema")
    .fill(JSON.stringify({ type: "object", properties: { duration: { type: "number", minimum: 0 } }, required: ["duration"] }, null, 2));
  await dialog.getByLabel("Example payload").fill('{ "duration": "long" }');
  await dialog.getByRole("button", { name: "Create event type" }).click();
  const exampleError = dialog.getByText(/The example payload does not match the JSON Schema/);
  await expect(exampleError).toBeVisible();
  await expect(exampleError).toContainText("duration must be number");
  await expect(dialog.getByLabel("Example payload")).toHaveAttribute("aria-invalid", "true");
  await screenshot(page, "event-type-form-error");

  await dialog.getByLabel("Example payload").fill('{ "duration": 45 }');
  await dialog.getByRole("button", { name: "Create event type" }).click();
  await expect(page.getByText(`Created ${name}`)).toBeVisible();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId("event-type-row").filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row.getByText("Schema", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: `Archive ${name}` }).click();
  const confirm = page.getByRole("dialog", { name: "Archive event type" });
  await confirm.getByRole("button", { name: "Archive" }).click();
  await expect(page.getByText(`Archived ${name}`)).toBeVisible();
  await expect(row).toBeHidden();

  await page.getByLabel(/Show archived/).check();
  await expect(row).toBeVisible();
  await expect(row.getByText("Archived", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: `Unarchive ${name}` }).click();
  await page.getByRole("dialog", { name: "Unarchive event type" }).getByRole("button", { name: "Unarchive" }).click();
  await expect(page.getByText(`Unarchived ${name}`)).toBeVisible();
  await page.getByLabel(/Show archived/).uncheck();
  await expect(row).toBeVisible();
});
