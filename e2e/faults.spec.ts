// Faults beyond the seeds, in the browser: a wrong device clock, two tabs of one terminal, a
// full browser storage, a tablet offline for a whole service, and the store server's disk
// running full.
import { expect, test } from '@playwright/test';
import { adminGet, control, ordersAt } from './env';
import { benchOrders, kioskOrder, openBenchKiosk, pairThroughWizard } from './terminal';

interface OrderDoc {
  type: string;
  terminal: string;
  number: string;
  created_at: string;
}

async function storeOrders(terminal: string): Promise<OrderDoc[]> {
  const res = await adminGet<{ rows: { doc: OrderDoc }[] }>('store', 'lapak_yogya_bsd_ops/_all_docs?include_docs=true');
  return res.body.rows.map((r) => r.doc).filter((d) => d.type === 'order' && d.terminal === terminal);
}

test('a device clock 400 days slow still stamps orders with the store server’s time', async ({ page }) => {
  await page.clock.install({ time: new Date(Date.now() - 400 * 24 * 3600_000) });
  await pairThroughWizard(page, 'KIOSK-MIE-01');
  const number = await kioskOrder(page, { name: 'Jam' });
  const order = await expect
    .poll(async () => (await storeOrders('KIOSK-MIE-01')).find((o) => o.number === number) ?? null, { timeout: 20_000 })
    .not.toBeNull()
    .then(async () => (await storeOrders('KIOSK-MIE-01')).find((o) => o.number === number)!);
  expect(Math.abs(Date.parse(order.created_at) - Date.now())).toBeLessThan(5 * 60_000);
});

test('two tabs of the same terminal place orders at once without duplicates or shared numbers', async ({ context }) => {
  const first = await context.newPage();
  await pairThroughWizard(first, 'KIOSK-GEPREK-01');
  const second = await context.newPage();
  // Both tabs have the menu (the catalog has replicated) before the race.
  await openBenchKiosk(second);
  await openBenchKiosk(first);
  const place = async (p: typeof first) => (await benchOrders(p, 1))[0]!;
  const numbers = (await Promise.all([place(first), place(second), place(first), place(second)])).sort();
  expect(new Set(numbers).size).toBe(4);
  await expect
    .poll(async () => (await ordersAt('store', 'KIOSK-GEPREK-01')).filter((o) => numbers.includes(o.number)).length, { timeout: 20_000 })
    .toBe(4);
});

test('a full browser storage gives a clear message, keeps the cart, and the order goes through once space returns', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __storageFull?: boolean };
    for (const method of ['put', 'add'] as const) {
      const original = IDBObjectStore.prototype[method];
      IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: Parameters<typeof original>) {
        if (w.__storageFull && this.name === 'document-store') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return original.apply(this, args);
      } as typeof original;
    }
  });
  await pairThroughWizard(page, 'KIOSK-NASGR-01');
  await page.getByTestId('kiosk-welcome').click();
  const product = page.locator('[data-testid^="product-"]:not([disabled])').first();
  await expect(product).toBeVisible();
  await page.evaluate(() => ((window as unknown as { __storageFull?: boolean }).__storageFull = true));
  await product.click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /Tambah ke pesanan/ })
    .click();
  await page.getByRole('button', { name: /Pesan sekarang/ }).click();
  await page.getByRole('button', { name: /Makan di sini/ }).click();
  await page.getByRole('button', { name: 'Kirim pesanan' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Penyimpanan perangkat penuh' }).first()).toBeVisible({ timeout: 10_000 });
  await page.screenshot({ path: 'docs/screenshots/kiosk-storage-full.png' });
  await expect(page.getByTestId('cart-lines')).not.toBeEmpty();

  await page.evaluate(() => ((window as unknown as { __storageFull?: boolean }).__storageFull = false));
  await page.getByRole('button', { name: /Muat ulang lalu coba lagi/ }).click();
  await page.getByTestId('kiosk-welcome').click();
  await expect(page.getByTestId('cart-lines')).not.toBeEmpty();
  await page.getByRole('button', { name: /Pesan sekarang/ }).click();
  await page.getByRole('button', { name: /Makan di sini/ }).click();
  await page.getByRole('button', { name: 'Kirim pesanan' }).click();
  await expect(page.getByTestId('order-number')).toBeVisible();
});

test('a tablet offline for a whole service queues 150 orders and each arrives exactly once', async ({ page, context }) => {
  test.setTimeout(180_000);
  await pairThroughWizard(page, 'KIOSK-GEPREK-01');
  // The menu must be on the tablet before it goes offline.
  await openBenchKiosk(page);
  const before = (await ordersAt('store', 'KIOSK-GEPREK-01')).length + 0;
  await context.setOffline(true);
  const numbers = await benchOrders(page, 150);
  expect(new Set(numbers).size).toBe(150);
  await expect
    .poll(async () => Number(await page.getByTestId('sync-badge').getAttribute('data-pending')), { timeout: 20_000 })
    .toBeGreaterThanOrEqual(150);
  await context.setOffline(false);
  await expect
    .poll(async () => (await ordersAt('store', 'KIOSK-GEPREK-01')).filter((o) => numbers.includes(o.number)).length, { timeout: 90_000 })
    .toBe(150);
  const all = await ordersAt('store', 'KIOSK-GEPREK-01');
  expect(all.length).toBeGreaterThanOrEqual(before + 150);
  expect(new Set(all.map((o) => o.number)).size).toBe(all.length);
  await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '0', { timeout: 30_000 });
});

test('the store server’s disk full: the tablet says why, keeps its orders, nothing saved is lost, and sync resumes by itself', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await pairThroughWizard(page, 'KIOSK-MIE-01');
  await openBenchKiosk(page);
  const [saved] = await benchOrders(page, 1);
  await expect.poll(async () => (await ordersAt('store', 'KIOSK-MIE-01')).some((o) => o.number === saved), { timeout: 20_000 }).toBe(true);
  const before = (await ordersAt('store', 'KIOSK-MIE-01')).map((o) => o.number).sort();

  const { mode } = await control('disk/fill');
  test.info().annotations.push({ type: 'disk full by', description: mode === 'tmpfs' ? 'filling a tmpfs' : 'raising the reserve' });
  const queued = await benchOrders(page, 3);
  const banner = page.getByTestId('server-full');
  await expect(banner).toBeVisible({ timeout: 20_000 });
  await expect(banner).toContainText('Server toko tidak bisa menyimpan: disknya penuh');
  await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-state', 'warning');
  await expect
    .poll(async () => Number(await page.getByTestId('sync-badge').getAttribute('data-pending')), { timeout: 10_000 })
    .toBeGreaterThanOrEqual(3);
  await page.screenshot({ path: 'docs/screenshots/kiosk-server-disk-full.png' });
  await page.getByRole('button', { name: 'English', exact: true }).click();
  await expect(banner).toContainText('The store server cannot save: its disk is full');
  await page.getByRole('button', { name: 'Bahasa Indonesia', exact: true }).click();
  // The server has none of them, and still everything it had.
  const during = await ordersAt('store', 'KIOSK-MIE-01');
  expect(during.filter((o) => queued.includes(o.number))).toEqual([]);
  expect(during.map((o) => o.number).sort()).toEqual(before);

  await control('disk/empty');
  await expect
    .poll(async () => (await ordersAt('store', 'KIOSK-MIE-01')).filter((o) => queued.includes(o.number)).length, { timeout: 30_000 })
    .toBe(3);
  await expect(banner).toBeHidden({ timeout: 20_000 });
  await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '0', { timeout: 20_000 });
  const after = await ordersAt('store', 'KIOSK-MIE-01');
  expect(after.map((o) => o.number).sort()).toEqual([...before, ...queued].sort());
  expect(new Set(after.map((o) => o.number)).size).toBe(after.length);
});
