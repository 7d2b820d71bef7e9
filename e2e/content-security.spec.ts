// The gateway serves the app with a Content Security Policy (couch/gateway/security-headers.ts).
// A policy that the app itself breaks gets switched off in a hurry, so every screen is opened
// here and must run without a single violation; and a script the page did not ship is blocked.
import { expect, test, type Page } from '@playwright/test';
import { e2eEnv } from './env';
import { pairThroughWizard } from './terminal';

async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction('__cspViolation', (v: string) => seen.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __cspViolation(v: string): void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

test('every screen runs under the Content Security Policy without a violation, and a foreign script is blocked', async ({ page }) => {
  test.setTimeout(120_000);
  const env = e2eEnv();
  const violations = await watchViolations(page);
  await page.goto(env.storeUrl);
  await expect(page.getByRole('heading', { name: 'Yogya BSD' })).toBeVisible();
  await pairThroughWizard(page, 'KIOSK-MIE-01');
  await expect(page.getByTestId('kiosk-welcome')).toBeVisible();
  await page.goto(`${env.storeUrl}/presence`);
  await page.goto(`${env.centralUrl}/hq`);
  await expect(page.getByRole('button', { name: /Masuk/ })).toBeVisible();
  expect(violations).toEqual([]);

  // What an injected script would try: it does not run.
  // An inline script runs as it is appended, or never.
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.appendChild(s);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations.length).toBeGreaterThan(0);
});
