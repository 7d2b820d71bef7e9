// The HQ admin page at central: login, catalog edits reaching a kiosk, unassigning a
// terminal from HQ, adding staff with a PIN, and sales showing up in the reports.
import { expect, test, type Page } from '@playwright/test';
import { pinMatches } from '../design-docs/lib/pin';
import type { Staff } from '../design-docs/lib/types';
import { adminGet, e2eEnv } from './env';
import { kioskOrder, pairThroughWizard } from './terminal';

async function hqLogin(page: Page, user = e2eEnv().hq.name, password = e2eEnv().hq.password) {
  await page.goto(`${e2eEnv().centralUrl}/hq`);
  await page.getByLabel('Nama pengguna').fill(user);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
}

function centralPut(path: string, body: unknown) {
  const c = e2eEnv().centralCouch;
  return fetch(`${c.url}/${path}`, {
    method: 'PUT',
    headers: {
      authorization: 'Basic ' + Buffer.from(`${c.username}:${c.password}`).toString('base64'),
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}

test('HQ logs in with its CouchDB account and sees its store; a wrong password is explained', async ({ page }) => {
  await hqLogin(page, e2eEnv().hq.name, 'not-the-password');
  await expect(page.getByRole('alert')).toContainText('Nama pengguna atau kata sandi salah');
  await page.getByLabel('Kata sandi').fill(e2eEnv().hq.password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  const store = page.locator('[data-store="bsd"]');
  await expect(store).toContainText('Yogya BSD');
  await expect(store.getByTestId('online')).toHaveText(/\d+ \/ \d+/);
  await page.screenshot({ path: 'docs/screenshots/hq-stores.png' });
});

test('a price edited in the HQ catalog reaches the kiosk by replication', async ({ browser, page }) => {
  const id = 'product:nasgoreng-kerupuk-udang';
  // With its photo inline, so that the finally block can put the product back exactly.
  const original = (
    await adminGet<Record<string, unknown> & { price: number }>('central', `lapak_yogya_catalog/${encodeURIComponent(id)}?attachments=true`)
  ).body;
  const kiosk = await browser.newPage();
  try {
    await pairThroughWizard(kiosk, 'KIOSK-NASGR-01');
    await kiosk.getByTestId('kiosk-welcome').click();
    await kiosk.getByRole('button', { name: 'Tambahan', exact: true }).click();
    await expect(kiosk.getByTestId(`product-${id}`)).toContainText('5.000');
    const kioskPhoto = kiosk.getByTestId(`product-${id}`).locator('img');
    const oldPhoto = (await kioskPhoto.getAttribute('src'))!;

    await hqLogin(page);
    await page.getByRole('link', { name: 'Katalog' }).click();
    await page.getByRole('tab', { name: 'Nasi Goreng Pak Kumis' }).click();
    await page.locator(`[data-product="${id}"]`).getByTestId('edit-product').click();
    const editor = page.getByTestId('product-editor');
    await editor.getByLabel(/Harga/).fill('6500');
    // A big photo from a phone camera, resized in the browser before upload.
    const png = await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 2400;
      c.height = 1800;
      const g = c.getContext('2d')!;
      g.fillStyle = '#e0a100';
      g.fillRect(0, 0, c.width, c.height);
      g.fillStyle = '#b5341c';
      g.beginPath();
      g.arc(1200, 900, 700, 0, Math.PI * 2);
      g.fill();
      return c.toDataURL('image/png').split(',')[1]!;
    });
    await editor
      .getByTestId('photo-input')
      .setInputFiles({ name: 'kerupuk.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') });
    await expect(editor.locator('.photo img')).toBeVisible();
    await page.screenshot({ path: 'docs/screenshots/hq-product-editor.png' });
    await editor.getByTestId('save-product').click();
    await expect(editor).toBeHidden();
    await expect(page.locator(`[data-product="${id}"]`).getByTestId('price')).toHaveText('Rp 6.500');
    const photo = await page.evaluate(async (docId) => {
      const res = await fetch(`/db/lapak_yogya_catalog/${encodeURIComponent(docId)}/photo.jpg`, { credentials: 'same-origin' });
      const bitmap = await createImageBitmap(await res.blob());
      return { type: res.headers.get('content-type'), width: bitmap.width, height: bitmap.height };
    }, id);
    expect(photo).toEqual({ type: 'image/jpeg', width: 800, height: 600 });

    await expect(kiosk.getByTestId(`product-${id}`)).toContainText('6.500', { timeout: 20_000 });
    await expect(kioskPhoto).not.toHaveAttribute('src', oldPhoto);
  } finally {
    const now = (await adminGet<{ _rev: string }>('central', `lapak_yogya_catalog/${encodeURIComponent(id)}`)).body;
    await centralPut(`lapak_yogya_catalog/${encodeURIComponent(id)}`, {
      ...original,
      _rev: now._rev,
      updated_at: new Date().toISOString(),
    });
    await kiosk.close();
  }
});

test('HQ unassigns a terminal: the store answers with a fresh code and the old device is refused', async ({ browser, page }) => {
  test.setTimeout(90_000);
  const kiosk = await browser.newPage();
  await pairThroughWizard(kiosk, 'KIOSK-GEPREK-01');
  const order = await kioskOrder(kiosk, { name: 'Sari' });
  expect(order).toMatch(/-/);
  const device = await kiosk.evaluate(() => JSON.parse(localStorage.getItem('lapak.terminal')!) as { userName: string; secret: string });

  await hqLogin(page);
  await page.getByRole('link', { name: 'Terminal' }).click();
  await page.getByTestId('store-select').selectOption('bsd');
  const row = page.locator('[data-terminal="KIOSK-GEPREK-01"]');
  await expect(row).toContainText('dev_');
  await row.getByTestId('unassign').click();
  await page.getByTestId('confirm-unassign').click();
  const card = page.getByTestId('request').first().getByTestId('pairing-card');
  await expect(card).toBeVisible({ timeout: 30_000 });
  const code = (await card.getByTestId('pairing-code').textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await page.screenshot({ path: 'docs/screenshots/hq-terminals.png' });

  // The old device's secret no longer opens the store database.
  const res = await fetch(`${e2eEnv().storeUrl}/db/lapak_yogya_bsd_ops`, {
    headers: { authorization: 'Basic ' + Buffer.from(`${device.userName}:${device.secret}`).toString('base64') },
  });
  expect(res.status).toBe(401);
  await kiosk.reload();
  await expect(kiosk.getByRole('alert')).toContainText('sudah dilepas dari terminal KIOSK-GEPREK-01');

  // The fresh code from HQ pairs a device again.
  const again = await browser.newPage();
  await pairThroughWizard(again, 'KIOSK-GEPREK-01', { code });
  await again.close();
  await kiosk.close();
});

/** Every leaf of a JSON document with its path, e.g. ["pin.hash", "…"]. */
function leaves(value: unknown, path = ''): [string, unknown][] {
  if (value === null || typeof value !== 'object') return [[path, value]];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
}

test('HQ adds a supervisor with a PIN: only its hash is stored; a mistyped second PIN is explained and saves nothing', async ({ page }) => {
  const directory = 'lapak_yogya_bsd_directory';
  const staffIds = async () =>
    (
      await adminGet<{ rows: { id: string }[] }>(
        'central',
        `${directory}/_all_docs?startkey=${encodeURIComponent('"staff:"')}&endkey=${encodeURIComponent('"staff:\ufff0"')}`,
      )
    ).body.rows.map((r) => r.id);
  const before = await staffIds();

  await hqLogin(page);
  await page.getByRole('link', { name: 'Staf', exact: true }).click();
  await page.getByTestId('store-select').selectOption('bsd');
  const form = page.getByTestId('add-staff');
  await expect(form).toContainText('Yogya BSD');
  await form.getByLabel('Nama', { exact: true }).fill('Dewi');
  await form.getByLabel('Peran').selectOption('supervisor');
  await form.getByLabel('PIN', { exact: true }).fill('4321');
  await form.getByLabel('Ulangi PIN', { exact: true }).fill('4312');
  await form.getByTestId('add-staff-submit').click();
  await expect(form.getByRole('alert')).toContainText('Kedua PIN tidak sama');
  // What was typed stays, so only the second PIN needs typing again; nothing reached central.
  await expect(form.getByLabel('Nama', { exact: true })).toHaveValue('Dewi');
  expect(await staffIds()).toEqual(before);

  await form.getByLabel('Ulangi PIN', { exact: true }).fill('4321');
  await form.getByTestId('add-staff-submit').click();
  await expect(page.getByRole('status')).toContainText('Dewi ditambahkan');
  const row = page.locator('[data-staff]', { hasText: 'Dewi' });
  await expect(row).toContainText('Supervisor');
  await expect(row.getByTestId('staff-status')).toHaveText('Aktif');
  await expect(form.getByLabel('PIN', { exact: true })).toHaveValue('');
  await page.screenshot({ path: 'docs/screenshots/hq-staff.png' });

  const id = (await row.getAttribute('data-staff'))!;
  expect(before).not.toContain(id);
  const { status, body: doc } = await adminGet<Staff>('central', `${directory}/${encodeURIComponent(id)}`);
  expect(status).toBe(200);
  expect(doc).toMatchObject({ type: 'staff', name: 'Dewi', role: 'supervisor', active: true, tenant: 'yogya', store: 'bsd' });
  expect(doc.pin.hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  expect(await pinMatches('4321', doc.pin)).toBe(true);
  // The id, revision, salt and hash are random: "4321" in one of them would be chance, not the PIN.
  const random = new Set(['_id', '_rev', 'pin.salt', 'pin.hash']);
  const holding = leaves(doc).filter(([path, v]) => !random.has(path) && String(v).includes('4321'));
  expect(holding).toEqual([]);
});

test('an order placed at the store shows in the HQ reports and the CSV', async ({ browser, page }) => {
  const kiosk = await browser.newPage();
  await pairThroughWizard(kiosk, 'KIOSK-MIE-01');
  await kioskOrder(kiosk, { name: 'Laporan' });

  await hqLogin(page);
  await page.getByRole('link', { name: 'Laporan' }).click();
  const before = Number(await page.getByTestId('total-orders').textContent());
  // No button to press: the page refreshes itself as replication brings the store's orders.
  await expect(async () => {
    expect(Number(await page.getByTestId('total-orders').textContent())).toBeGreaterThan(0);
    await expect(page.getByTestId('by-brand')).toContainText('Mie Ayam Bangka');
  }).toPass({ timeout: 45_000 });
  await expect(page.getByTestId('money-by-store')).toContainText('Yogya BSD');
  expect(before).toBeGreaterThanOrEqual(0);
  await page.screenshot({ path: 'docs/screenshots/hq-reports.png', fullPage: true });
  const download = page.waitForEvent('download');
  await page.getByTestId('csv').click();
  const csv = await (await download).createReadStream();
  let text = '';
  for await (const chunk of csv) text += String(chunk);
  expect(text.split('\r\n')[0]).toBe('date,hour,store,brand,orders,sales_idr');
  expect(text).toMatch(/,bsd,MIEAYAM,\d+,\d+/);
  // The money CSV says what the money card says.
  const moneyDownload = page.waitForEvent('download');
  await page.getByTestId('money-csv').click();
  let money = '';
  for await (const chunk of await (await moneyDownload).createReadStream()) money += String(chunk);
  const totalLine = money.split('\r\n').find((l) => l.startsWith('sales,total,'))!;
  const shown = (await page.getByTestId('money').getByTestId('report-total').textContent())!.replace(/\D/g, '');
  expect(totalLine.split(',')[4]).toBe(shown);
  await kiosk.close();
});

test('tenant isolation in the admin page: another tenant’s HQ sees only its own stores and is refused the rest', async ({ page }) => {
  const other = e2eEnv().secondHq;
  await hqLogin(page, other.name, other.password);
  const tenant = other.name.split('.')[1]!;
  await expect(page.getByRole('banner')).toContainText(tenant);
  await expect(page.locator('[data-store]').first()).toBeVisible();
  await expect(page.locator('[data-store="bsd"]')).toHaveCount(0);
  await page.getByRole('link', { name: 'Katalog' }).click();
  await expect(page.getByRole('tab', { name: 'Nasi Goreng Pak Kumis' })).toHaveCount(0);
  // Even with the page's own session, yogya's databases answer 403.
  const statuses = await page.evaluate(async () =>
    Promise.all(
      ['lapak_yogya_catalog', 'lapak_yogya_hq', 'lapak_yogya_bsd_ops', 'lapak_yogya_bsd_control'].map(
        async (db) => (await fetch(`/db/${db}/_all_docs`, { credentials: 'same-origin' })).status,
      ),
    ),
  );
  expect(statuses).toEqual([403, 403, 403, 403]);
});

test('HQ sees on the stores page that the store’s access rules were changed and put back', async ({ page }) => {
  // A stray design document in the store's ops database: the integrity guard removes it and
  // says so through central (a stray validate function could refuse every write).
  const s = e2eEnv().storeCouch;
  const stray = `lapak_yogya_bsd_ops/${encodeURIComponent('_design/stray')}`;
  const put = await fetch(`${s.url}/${stray}`, {
    method: 'PUT',
    headers: {
      authorization: 'Basic ' + Buffer.from(`${s.username}:${s.password}`).toString('base64'),
      'content-type': 'application/json',
    },
    body: JSON.stringify({ views: { all: { map: 'function (doc) { emit(doc._id, doc); }' } } }),
  });
  expect(put.status).toBe(201);
  await expect.poll(async () => (await adminGet('store', stray)).status, { timeout: 30_000 }).toBe(404);

  await hqLogin(page);
  const store = page.locator('[data-store="bsd"]');
  const alert = store.getByTestId('alerts').getByText(/Aturan akses di server toko diubah/);
  // The alert comes up by replication; the page refreshes every 30 s, a click sooner.
  await expect(async () => {
    await page.getByRole('button', { name: 'Muat ulang' }).click();
    await expect(alert).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 45_000 });
  await expect(alert).toContainText('_design/stray (dihapus)');
  await page.screenshot({ path: 'docs/screenshots/hq-integrity-alert.png' });
});
