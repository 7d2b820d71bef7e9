// HQ opens central's databases in Fauxton (through the gateway at /db/_utils/) with its own
// login, and sees only its own tenant's: another tenant's database will not open.
import { expect, test, type Page } from '@playwright/test';
import { e2eEnv } from './env';

async function logIn(page: Page, name: string, password: string): Promise<void> {
  await page.goto(`${e2eEnv().centralUrl}/db/_utils/#/login`);
  await page.locator('#username').fill(name);
  await page.locator('#password').fill(password);
  const session = page.waitForResponse((r) => r.url().endsWith('/db/_session') && r.request().method() === 'POST');
  await page.locator('#submit').click();
  expect((await session).status()).toBe(200);
}

/** A fresh page load: Fauxton's router does not always follow a hash typed into the same page. */
async function open(page: Page, hash: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${e2eEnv().centralUrl}/db/_utils/${hash}`);
}

test('HQ opens its own database in Fauxton and cannot open another tenant’s', async ({ page }) => {
  const env = e2eEnv();
  const couchRequests: { url: string; status: number }[] = [];
  page.on('response', (r) => {
    if (/\/db\/lapak_/.test(r.url())) couchRequests.push({ url: r.url(), status: r.status() });
  });
  await logIn(page, env.hq.name, env.hq.password);

  // The directory reaches central by replication from the store, seconds after seeding.
  await expect(async () => {
    await open(page, '#/database/lapak_yogya_bsd_directory/_all_docs');
    // A document on Fauxton's first page (20 rows, by id): brands come before staff and terminals.
    await expect(page.getByText('brand:AYAMGEPREK').first()).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 30_000 });
  await page.screenshot({ path: 'docs/screenshots/fauxton-hq.png' });

  couchRequests.length = 0;
  await open(page, '#/database/lapak_sinar_kemang_directory/_all_docs');
  await expect.poll(() => couchRequests.filter((r) => r.url.includes('lapak_sinar_')).length).toBeGreaterThan(0);
  await page.waitForTimeout(1000);
  expect(couchRequests.filter((r) => r.url.includes('lapak_sinar_')).every((r) => r.status === 403)).toBe(true);
  await expect(page.getByText('brand:SOTO')).toHaveCount(0);
  await expect(page.getByText('brand:AYAMGEPREK')).toHaveCount(0);
});
