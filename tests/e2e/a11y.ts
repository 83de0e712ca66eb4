import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/**
 * One axe pass over the page as it is (all default rules, plus the experimental
 * "accessible name contains the visible label" rule), failing on serious or critical
 * violations; then every visible control must be reachable with Tab.
 */
export async function expectAccessible(page: Page, name: string, options: { exclude?: string; keyboardWalk?: boolean } = {}) {
  const builder = new AxeBuilder({ page }).options({ rules: { "label-content-name-mismatch": { enabled: true } } });
  if (options.exclude) builder.exclude(options.exclude);
  const results = await builder.analyze();
  const blocking = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.nodes.length}): ${violation.nodes.slice(0, 3).map((node) => node.target.join(" ")).join(" | ")}`);
  expect(blocking, `axe on ${name}`).toEqual([]);
  if (options.keyboardWalk !== false) await expectKeyboardReachable(page, name, options.exclude);
}

/** Tabs through the page once and checks that every visible, enabled control received focus. */
export async function expectKeyboardReachable(page: Page, name: string, exclude?: string) {
  const { found: controls, stops } = await page.evaluate((excluded) => {
    const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])";
    let index = 0;
    const found: string[] = [];
    for (const element of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      const hidden = box.width === 0 || box.height === 0 || style.visibility === "hidden" || element.closest("[inert],[aria-hidden=true]");
      // Toasts come and go on their own timer (sonner reaches them with Alt+T); they are not page controls.
      if (element.closest("[data-sonner-toaster]")) continue;
      if (excluded && element.closest(excluded)) continue;
      if (hidden || (element as HTMLButtonElement).disabled || element.tabIndex < 0) continue;
      // Radio groups take one Tab stop: only the checked (or first) radio of a group is expected.
      if (element instanceof HTMLInputElement && element.type === "radio") {
        const group = Array.from(document.querySelectorAll<HTMLInputElement>(`input[type=radio][name="${element.name}"]`));
        const stop = group.find((radio) => radio.checked) ?? group[0];
        if (stop !== element) continue;
      }
      element.dataset.a11yId = String(index++);
      found.push(element.getAttribute("aria-label") || element.textContent?.trim().slice(0, 40) || element.tagName);
    }
    // Excluded regions still take Tab stops: the walk must be long enough to pass through them.
    return { found, stops: document.querySelectorAll(selector).length };
  }, exclude ?? null);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.locator("body").focus();
  const reached = new Set<string>();
  for (let press = 0; press < stops + 20 && reached.size < controls.length; press++) {
    await page.keyboard.press("Tab");
    const id = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.a11yId ?? null);
    if (id !== null) reached.add(id);
  }
  // A live list (the runs page polls) may drop rows during the walk: a control that left the page is not missed.
  const present = new Set(await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>("[data-a11y-id]"), (element) => element.dataset.a11yId!)));
  const missed = controls.filter((_, index) => !reached.has(String(index)) && present.has(String(index)));
  expect(missed, `controls not reachable with Tab on ${name}`).toEqual([]);
}
