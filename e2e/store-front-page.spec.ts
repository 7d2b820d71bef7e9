// The store server's one origin: the web app and the database under /db, with CouchDB's
// cookie session working in the browser (no CORS, no third-party cookies).
import { expect, test } from '@playwright/test';
import { e2eEnv, freshCode } from './env';

test('the store server shows its store, brands and terminals in Bahasa Indonesia and English', async ({ page }) => {
  const env = e2eEnv();
  await page.goto(env.storeUrl);
  await expect(page.getByRole('heading', { name: 'Yogya BSD' })).toBeVisible();
  await expect(page.getByText('Brand di toko ini')).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'Ayam Geprek Boedjangan' })).toBeVisible();
  // One row per terminal of the demo store, each paired to a device or waiting for one.
  const rows = page.getByRole('row').filter({ has: page.getByRole('cell') });
  await expect(rows).toHaveCount(11);
  for (const row of await rows.all()) await expect(row).toContainText(/Belum dipasang|Terpasang sejak/);
  await page.screenshot({ path: 'docs/screenshots/store-front-page.png', fullPage: true });
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByText('Brands at this store')).toBeVisible();
});

test('a CouchDB cookie session made in the page reaches the store database on the same origin', async ({ page }) => {
  const env = e2eEnv();
  const code = await freshCode('KITCHEN-GEPREK');
  await page.goto(env.storeUrl);
  const result = await page.evaluate(
    async ({ name, password }) => {
      const anonymous = await fetch('/db/lapak_yogya_bsd_ops');
      const login = await fetch('/db/_session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, password }),
      });
      const withCookie = await fetch('/db/lapak_yogya_bsd_ops');
      return {
        anonymous: anonymous.status,
        login: login.status,
        withCookie: withCookie.status,
        cookieHidden: !document.cookie.includes('AuthSession'),
      };
    },
    { name: 'terminal.yogya.bsd.KITCHEN-GEPREK', password: code },
  );
  expect(result).toEqual({ anonymous: 401, login: 200, withCookie: 200, cookieHidden: true });
});
