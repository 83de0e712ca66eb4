import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./a11y";
import { api, E2E, screenshot, startReceiver } from "./helpers";

// Every page a person can reach, on a 390 px wide phone: nothing wider than the screen (tables
// scroll inside their card, never the page). One sign-in, one walk over all console pages, then
// the customer portal through a link. /setup is checked in first-run.spec (it exists only there).
const PHONE = { width: 390, height: 844 };
test.use({ viewport: PHONE, isMobile: true, hasTouch: true });
test.describe.configure({ timeout: 180_000 });

/** The route of every page.tsx under app/ (`/endpoints/[id]/edit`), read off the file system. */
function appPages(dir = "app"): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return appPages(full);
    if (entry !== "page.tsx") return [];
    const segments = path.relative("app", dir).split(path.sep).filter((segment) => segment && !segment.startsWith("("));
    return ["/" + segments.join("/")];
  });
}

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

// /no-workspace needs a person removed from every workspace: workspaces.spec opens it at 390 px and checks it fits.
const visited = new Set<string>(["/setup", "/no-workspace"]);

/** Opens `path` (an instance of `route`), waits for its heading, and checks it fits. */
async function fits(page: Page, route: string, url: string, heading: string | RegExp, shot: string) {
  await page.goto(url);
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  await page.waitForLoadState("networkidle");
  // Soft: one run names every page that does not fit.
  expect.soft(await overflow(page), `${url} is wider than the screen`).toBe(0);
  await screenshot(page, `phone-${shot}`);
  visited.add(route);
}

test("every page fits a 390 px screen without sideways page scroll", async ({ page, request, browser }) => {
  // The sign-in page, signed out.
  const anonymous = await browser.newPage({ viewport: PHONE });
  await fits(anonymous, "/login", "/login", "Sign in", "login");
  await anonymous.close();

  // Data for the detail pages, long values included (they are what overflows).
  const receiver = await startReceiver();
  const tag = Date.now().toString(36);
  const eventType = `phone.layout_check_with_a_long_name_${tag}`;
  const account = `acc_${tag}_with_a_long_account_name`;
  try {
    const created = await api(request).post("/endpoints", {
      title: `Phone ${tag} with a rather long endpoint title that must wrap`,
      url: `${receiver.url}/a/very/long/path/that/does/not/fit/on/a/phone/screen/${tag}?with=query&and=more`,
      eventTypes: [eventType],
      account,
      headers: { "X-A-Rather-Long-Custom-Header-Name": "and-a-long-value-that-goes-on-and-on" },
    });
    expect(created.status(), await created.text()).toBe(201);
    const endpointId = (await created.json()).id as string;
    const published = await api(request).post("/messages", {
      eventType,
      account,
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
    await fits(page, "/", "/", "Overview", "overview");
    await fits(page, "/endpoints", "/endpoints", "Endpoints", "endpoints");
    await fits(page, "/endpoints/new", "/endpoints/new", /New endpoint|Add an endpoint/, "endpoint-new");
    await fits(page, "/endpoints/[id]", `/endpoints/${endpointId}`, /Phone/, "endpoint-detail");
    await expect(page.getByRole("table", { name: "Last 10 attempts" }).getByRole("row")).toHaveCount(2);
    expect.soft(await overflow(page), "the endpoint page with its attempt").toBe(0);
    await fits(page, "/endpoints/[id]/edit", `/endpoints/${endpointId}/edit`, /Edit/, "endpoint-edit");
    await fits(page, "/messages", "/messages", "Messages", "messages");
    await fits(page, "/messages/[id]", `/messages/${messageId}`, eventType, "message-detail");
    await fits(page, "/event-types", "/event-types", "Event types", "event-types");
    await fits(page, "/playground", "/playground", "Playground", "playground");
    await fits(page, "/runs", "/runs", /Runs/, "runs");
    await fits(page, "/accounts", "/accounts", "Accounts", "accounts");
    await expect(page.getByRole("table", { name: "Accounts" })).toContainText(account);
    // The accounts page is in no other spec: its axe pass lives here (the nav is behind the menu, so no Tab walk).
    await expectAccessible(page, "accounts", { keyboardWalk: false });
    await fits(page, "/settings", "/settings", "Settings", "settings");
    await fits(page, "/api-reference", "/api-reference", "API reference", "api-reference");

    // The customer portal, through a link for the endpoint's account, with no console session.
    const link = await api(request).post(`/accounts/${account}/portal`, {});
    expect(link.status(), await link.text()).toBe(201);
    const base = ((await link.json()) as { path: string }).path;
    const customer = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const portal = await customer.newPage();
    try {
      await fits(portal, "/portal/[token]", base, "Webhook endpoints", "portal-endpoints");
      await fits(portal, "/portal/[token]/endpoints/new", `${base}/endpoints/new`, "Add an endpoint", "portal-endpoint-new");
      await fits(portal, "/portal/[token]/endpoints/[id]", `${base}/endpoints/${endpointId}`, /Phone/, "portal-endpoint-detail");
      await fits(portal, "/portal/[token]/endpoints/[id]/edit", `${base}/endpoints/${endpointId}/edit`, /Edit/, "portal-endpoint-edit");
      await fits(portal, "/portal/[token]/messages", `${base}/messages`, "Messages", "portal-messages");
      await fits(portal, "/portal/[token]/messages/[id]", `${base}/messages/${messageId}`, eventType, "portal-message-detail");
      // A link that is not (or no longer) valid gets its own page; it must fit too.
      await portal.goto(`${base.slice(0, -3)}xyz`);
      await expect(portal.getByRole("heading", { name: "This link is not valid" })).toBeVisible();
      expect.soft(await overflow(portal), "the invalid-link page is wider than the screen").toBe(0);
      await screenshot(portal, "phone-portal-invalid-link");
    } finally {
      await customer.close();
    }
  } finally {
    await receiver.close();
  }
  // A new page fails here until it is added to the walk above.
  expect(appPages().filter((route) => !visited.has(route)), "pages this spec does not open").toEqual([]);
});
