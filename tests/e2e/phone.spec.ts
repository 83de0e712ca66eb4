import { expect, test, type Page } from "@playwright/test";
import { api, E2E, screenshot, startReceiver } from "./helpers";

// Every console page on a 390 px wide phone: nothing wider than the screen (tables scroll
// inside their card, never the page). One sign-in, one walk over all pages.
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
test.describe.configure({ timeout: 120_000 });

/** How far the page itself scrolls sideways (0 when everything fits), and the widest culprits. */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const excess = document.documentElement.scrollWidth - width;
    if (excess <= 0) return 0;
    // The outermost elements that stick out past the screen while their parent does not.
    const culprits = [...document.querySelectorAll("body *")]
      .filter((element) => element.getBoundingClientRect().right > width + 1 && (element.parentElement?.getBoundingClientRect().right ?? 0) <= width + 1)
      .slice(0, 3)
      .map((element) => `<${element.tagName.toLowerCase()} class="${element.getAttribute("class") ?? ""}"> ${Math.round(element.getBoundingClientRect().width)}px`);
    return `${excess}px too wide: ${culprits.join(" · ")}`;
  });
}

async function fits(page: Page, path: string, heading: string | RegExp, shot: string) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  await page.waitForLoadState("networkidle");
  // Soft: one run names every page that does not fit.
  expect.soft(await overflow(page), `${path} is wider than the screen`).toBe(0);
  await screenshot(page, `phone-${shot}`);
}

test("every console page fits a 390 px screen without sideways page scroll", async ({ page, request, browser }) => {
  // The sign-in page, signed out.
  const anonymous = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await anonymous.goto("/login");
  await expect(anonymous.getByRole("heading", { name: "Sign in" })).toBeVisible();
  expect(await overflow(anonymous), "/login is wider than the screen").toBe(0);
  await screenshot(anonymous, "phone-login");
  await anonymous.close();

  // Data for the detail pages, long values included (they are what overflows).
  const receiver = await startReceiver();
  const tag = Date.now().toString(36);
  const eventType = `phone.layout_check_with_a_long_name_${tag}`;
  try {
    const created = await api(request).post("/endpoints", {
      title: `Phone ${tag} with a rather long endpoint title that must wrap`,
      url: `${receiver.url}/a/very/long/path/that/does/not/fit/on/a/phone/screen/${tag}?with=query&and=more`,
      eventTypes: [eventType],
      headers: { "X-A-Rather-Long-Custom-Header-Name": "and-a-long-value-that-goes-on-and-on" },
    });
    expect(created.status(), await created.text()).toBe(201);
    const endpointId = (await created.json()).id as string;
    const published = await api(request).post("/messages", {
      eventType,
      account: `acc_${tag}_with_a_long_account_name`,
      payload: { note: "x".repeat(300), nested: { key: "value-".repeat(40) } },
    });
    expect(published.status()).toBe(202);
    const messageId = (await published.json()).id as string;
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(1);

    // Signed in through the form; on a phone the main navigation sits behind the menu button.
    await page.goto("/login");
    await page.getByLabel("Email").fill(E2E.admin.email);
    await page.getByLabel("Password").fill(E2E.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("button", { name: "Open menu" })).toBeVisible();
    await fits(page, "/", "Overview", "overview");
    await fits(page, "/endpoints", "Endpoints", "endpoints");
    await fits(page, "/endpoints/new", /New endpoint|Add an endpoint/, "endpoint-new");
    await fits(page, `/endpoints/${endpointId}`, /Phone/, "endpoint-detail");
    await expect(page.getByRole("table", { name: "Last 10 attempts" }).getByRole("row")).toHaveCount(2);
    expect.soft(await overflow(page), "the endpoint page with its attempt").toBe(0);
    await fits(page, `/endpoints/${endpointId}/edit`, /Edit/, "endpoint-edit");
    await fits(page, "/messages", "Messages", "messages");
    await fits(page, `/messages/${messageId}`, eventType, "message-detail");
    await fits(page, "/event-types", "Event types", "event-types");
    await fits(page, "/playground", "Playground", "playground");
    await fits(page, "/runs", /Runs/, "runs");
    await fits(page, "/settings", "Settings", "settings");
  } finally {
    await receiver.close();
  }
});
