// Issue #4 items 3 and 7: an HQ admin provisions a brand-new store from the browser at
// central, against a freshly installed store server; a tablet pairs with a code from the
// printed sheet, takes an order, and the order reaches central.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startPouchDbServer, type EmbeddedServer } from '../couch/embedded/pouchdb-server';
import { startGateway, type Gateway } from '../couch/gateway/server';
import { WEB_DIST } from '../couch/stack';
import { freePort } from '../couch/testing/free-port';
import { e2eEnv } from './env';
import { kioskOrder } from './terminal';
import { DEFAULT_LOGIN_LIMITS } from '../couch/gateway/login-throttle';

const STORE = 'baru';
const KIOSK = 'KIOSK-BARU-01';
const STORE_ADMIN = { username: 'admin', password: 'new-store-secret' };

// A store server as it is installed in a new store: empty, configured with its tenant and store code.
let dataDir = '';
let couch: EmbeddedServer | null = null;
let gateway: Gateway | null = null;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lapak-e2e-newstore-'));
  const port = await freePort();
  const endpoint = { url: `http://127.0.0.1:${port}`, admin: STORE_ADMIN, embedded: true, port };
  couch = await startPouchDbServer(endpoint, dataDir, 'new store couch');
  gateway = await startGateway({
    host: '127.0.0.1',
    port: await freePort(),
    tls: null,
    loginLimits: DEFAULT_LOGIN_LIMITS,
    upstream: endpoint.url,
    staticDir: WEB_DIST,
    label: 'new store',
    site: { kind: 'store', tenant: 'yogya', store: STORE },
  });
});

test.afterAll(async () => {
  await gateway?.close();
  await couch?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test.describe.configure({ mode: 'serial' });

/** Fills in the new store; a server's address is typed only when the page is not on that server. */
async function fillNewStore(page: Page, addresses: { store?: string; central?: string }): Promise<void> {
  await page.getByLabel('Kode tenant').fill('yogya');
  await page.getByLabel('Nama tenant').fill('YOGYA Group');
  await page.getByLabel('Kode toko').fill(STORE);
  await page.getByLabel('Nama toko').fill('Yogya Baru');
  await page.getByLabel('Kode brand').fill('AYAMGEPREK');
  await page.getByLabel('Nama brand').fill('Ayam Geprek Boedjangan');
  await page.getByLabel('Kode terminal').fill(KIOSK);
  await page.getByLabel('Brand terminal').selectOption('AYAMGEPREK');
  await page.getByLabel('Awalan nomor pesanan').fill('B1');
  await page.getByTestId('add-terminal').click();
  await page.locator('[name="terminal-code-1"]').fill('KITCHEN-BARU');
  await page.locator('[name="terminal-type-1"]').selectOption('kitchen');
  await expect(page.locator('[name="terminal-prefix-1"]')).toBeDisabled();
  const store = page.getByTestId('server-store');
  if (addresses.store) await store.getByLabel('Alamat').fill(addresses.store);
  await store.getByLabel('Admin server').fill(STORE_ADMIN.username);
  await store.getByLabel('Kata sandi admin').fill(STORE_ADMIN.password);
  const central = page.getByTestId('server-central');
  if (addresses.central) await central.getByLabel('Alamat').fill(addresses.central);
  await central.getByLabel('Kata sandi admin').fill(e2eEnv().centralCouch.password);
}

test('an HQ admin provisions a new store from central; a kiosk pairs from the sheet and its order reaches central', async ({
  page,
  browser,
}) => {
  test.setTimeout(150_000);
  await page.goto(`${e2eEnv().centralUrl}/hq/provision`);
  const central = page.getByTestId('server-central');
  // The page knows it runs at central and fills in that side.
  await expect(central.getByLabel('Alamat')).toHaveValue(e2eEnv().centralUrl);
  await expect(central.getByText('Server ini')).toBeVisible();

  // Nothing runs until the form is right; each problem is said next to its field.
  await page.getByTestId('provision').click();
  await expect(page.getByTestId('form-problems')).toBeVisible();
  await expect(page.getByText(/tenant code "" is invalid/)).toBeVisible();

  await fillNewStore(page, { store: gateway!.url });
  await expect(page.getByTestId('form-problems')).toBeHidden();

  await page.getByTestId('dry-run').click();
  await expect(page.getByTestId('provision-summary')).toHaveAttribute('data-dry-run', 'yes');
  await expect(page.locator('[data-testid="provision-steps"] li[data-status="would create"]').first()).toBeVisible();
  expect((await fetch(`${gateway!.url}/db/lapak_yogya_${STORE}_ops`, { headers: adminAuth(STORE_ADMIN) })).status).toBe(404);

  await page.getByTestId('provision').click();
  const summary = page.getByTestId('provision-summary');
  await expect(summary).toHaveAttribute('data-dry-run', 'no', { timeout: 60_000 });
  await expect(summary).not.toHaveAttribute('data-changes', '0');
  const card = page.getByTestId(`pairing-${KIOSK}`);
  await expect(card.locator('svg')).toBeVisible();
  await expect(page.getByTestId('pairing-KITCHEN-BARU')).toBeVisible();
  const code = (await card.getByTestId('pairing-code').textContent())!.trim();
  const setupUrl = (await card.getByTestId('setup-url').textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  expect(setupUrl).toBe(`${gateway!.url}/setup?brand=AYAMGEPREK&terminal=${KIOSK}&code=${code}`);
  await page.screenshot({ path: 'docs/screenshots/hq-provision-done.png', fullPage: true });
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: 'docs/screenshots/hq-provision-sheet-print.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // Running it again is safe: nothing changes, and the sheet's codes stay valid.
  await page.getByTestId('provision').click();
  await expect(summary).toHaveAttribute('data-changes', '0', { timeout: 60_000 });
  await expect(page.getByTestId('no-new-codes')).toBeVisible();

  // A tablet in the new store: a fresh device opens the setup address from the sheet.
  const tablet = await browser.newContext();
  const kiosk = await tablet.newPage();
  await kiosk.goto(setupUrl);
  await expect(kiosk.getByTestId('registry-type')).not.toHaveText(/^—/);
  await kiosk.getByRole('button', { name: /Lanjut/ }).click();
  await kiosk.getByRole('button', { name: '80 mm' }).click();
  await kiosk.getByRole('button', { name: 'Pasang terminal' }).click();
  await expect(kiosk.getByTestId('done-terminal')).toContainText(KIOSK);
  await kiosk.getByRole('button', { name: /Mulai/ }).click();
  const number = await kioskOrder(kiosk);
  expect(number).toMatch(/^B1-/);

  // The store server replicates it to central, into the new store's database there.
  await expect
    .poll(
      async () => {
        const res = await fetch(`${e2eEnv().centralUrl}/db/lapak_yogya_${STORE}_ops/_all_docs?include_docs=true`, {
          headers: adminAuth(e2eEnv().centralCouch),
        });
        const body = (await res.json()) as { rows?: { doc?: { type?: string; number?: string; terminal?: string } }[] };
        return (body.rows ?? []).some((r) => r.doc?.type === 'order' && r.doc.number === number && r.doc.terminal === KIOSK);
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  await tablet.close();

  // HQ sees the new store and its sale in the reports.
  const hq = await browser.newPage();
  await hq.goto(`${e2eEnv().centralUrl}/hq/reports`);
  await hq.getByLabel('Nama pengguna').fill(e2eEnv().hq.name);
  await hq.getByLabel('Kata sandi').fill(e2eEnv().hq.password);
  await hq.getByRole('button', { name: 'Masuk' }).click();
  await hq.locator('select[name="store"]').selectOption(STORE);
  // Choosing the store is enough: the page follows its filters.
  await expect(hq.getByTestId('by-store')).toContainText('Yogya Baru', { timeout: 20_000 });
  await expect(hq.getByTestId('total-orders')).toHaveText('1');
  await hq.close();
});

test('a technician on the store LAN re-runs it from the store server: unchanged, then a changed setting is applied on request', async ({
  page,
}) => {
  await page.goto(`${gateway!.url}/hq/provision`);
  const store = page.getByTestId('server-store');
  await expect(store.getByLabel('Alamat')).toHaveValue(gateway!.url);
  await expect(page.getByLabel('Kode toko')).toHaveValue(STORE);
  await fillNewStore(page, { central: e2eEnv().centralUrl });

  await page.getByTestId('provision').click();
  const summary = page.getByTestId('provision-summary');
  await expect(summary).toHaveAttribute('data-changes', '0', { timeout: 60_000 });

  await page.getByLabel('Nama toko').fill('Yogya Baru Mall');
  await page.getByTestId('provision').click();
  const error = page.getByTestId('provision-error');
  await expect(error).toContainText('store name is "Yogya Baru" on the store server but "Yogya Baru Mall" in the description');
  await expect(summary).toBeHidden();
  await page.getByTestId('apply-update').click();
  // The store's directory and HQ's list of stores both take the new name.
  await expect(summary).toHaveAttribute('data-changes', '2', { timeout: 60_000 });
  const updated = page.locator('[data-testid="provision-steps"] li[data-status="updated"]');
  await expect(updated.filter({ hasText: `lapak_yogya_${STORE}_directory/store` })).toHaveCount(1);
  await expect(updated.filter({ hasText: `lapak_yogya_hq/store:${STORE}` })).toHaveCount(1);

  // The store's relay password (from its store.env) gives the relay its account, once.
  await page.getByText('Lanjutan').click();
  await page.getByLabel('Kata sandi relay toko (opsional)').fill('new-store-relay');
  await page.getByTestId('provision').click();
  await expect(summary).toHaveAttribute('data-changes', '1', { timeout: 60_000 });
  await expect(page.locator('[data-testid="provision-steps"] li[data-status="created"]')).toContainText(`relay.yogya.${STORE}`);
  await page.getByTestId('provision').click();
  await expect(summary).toHaveAttribute('data-changes', '0', { timeout: 60_000 });

  // A store server that serves another store is refused before anything is written.
  await store.getByLabel('Alamat').fill(e2eEnv().storeUrl);
  await page.getByTestId('provision').click();
  await expect(error).toContainText('serves store yogya/bsd');
  await expect(error).toBeInViewport();
  await page.screenshot({ path: 'docs/screenshots/hq-provision-error.png' });
});

function adminAuth(c: { username: string; password: string }): Record<string, string> {
  return { authorization: 'Basic ' + Buffer.from(`${c.username}:${c.password}`).toString('base64') };
}
