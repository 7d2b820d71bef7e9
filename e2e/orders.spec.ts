// Orders from the kiosk and the cashier reach the store server and central; a kiosk order
// is paid at the cashier.
import { expect, test } from '@playwright/test';
import { adminGet, ordersAt } from './env';
import { enterPin, kioskOrder, pairThroughWizard, startCashier, SUPERVISOR } from './terminal';

async function eventually<T>(probe: () => Promise<T | null | undefined | false>, timeout = 20_000): Promise<T> {
  let value: T | null | undefined | false = null;
  await expect.poll(async () => (value = await probe()) || null, { timeout }).not.toBeNull();
  return value as T;
}

test('a kiosk order with modifiers reaches the store database and the central copy', async ({ page }) => {
  await pairThroughWizard(page, 'KIOSK-MIE-01');
  await page.getByTestId('kiosk-welcome').click();
  await page.locator('[data-testid^="product-"]:not([disabled])').first().click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/kiosk-item.png' });
  await dialog.getByRole('button', { name: '+1' }).click();
  await dialog.getByLabel('Catatan').fill('tanpa daun bawang');
  await dialog.getByRole('button', { name: /Tambah ke pesanan/ }).click();
  await expect(page.getByTestId('cart-lines')).toContainText('tanpa daun bawang');
  await page.screenshot({ path: 'docs/screenshots/kiosk-menu.png' });
  await page.getByRole('button', { name: /Pesan sekarang/ }).click();
  await page.getByRole('button', { name: /Bawa pulang/ }).click();
  await page.getByLabel(/Nama Anda/).fill('Budi');
  await page.screenshot({ path: 'docs/screenshots/kiosk-checkout.png' });
  await page.getByRole('button', { name: 'Kirim pesanan' }).click();
  const number = (await page.getByTestId('order-number').textContent())!.trim();
  expect(number).toMatch(/^M1-\d{4}$/);
  await page.screenshot({ path: 'docs/screenshots/kiosk-confirmation.png' });

  const atStore = await eventually(async () => (await ordersAt('store', 'KIOSK-MIE-01')).find((o) => o.number === number));
  expect(atStore).toMatchObject({ pay_at: 'cashier' });
  const atCentral = await eventually(async () => (await ordersAt('central', 'KIOSK-MIE-01')).find((o) => o.number === number));
  expect(atCentral.total).toBe(atStore.total);
  await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '0');
});

test('a kiosk order is paid at the cashier, and the kiosk sees it paid', async ({ browser }) => {
  const kiosk = await browser.newPage();
  await pairThroughWizard(kiosk, 'KIOSK-GEPREK-01');
  const cashier = await browser.newPage();
  await pairThroughWizard(cashier, 'KASIR-GEPREK-01');
  await startCashier(cashier);
  await expect(cashier.getByTestId('awaiting')).toBeVisible();

  const number = await kioskOrder(kiosk, { name: 'Sari' });
  const row = cashier.getByTestId('awaiting').getByRole('button', { name: new RegExp(number) });
  await expect(row).toBeVisible({ timeout: 20_000 });
  await row.click();
  await expect(cashier.getByTestId('settling-number')).toHaveText(number);
  await cashier.getByRole('button', { name: 'Uang pas' }).click();
  await cashier.screenshot({ path: 'docs/screenshots/cashier.png' });
  await cashier.getByTestId('charge').click();
  await expect(row).toBeHidden();
  // The number to call out stays on screen until the next customer.
  await expect(cashier.getByTestId('charged-number')).toHaveText(number);

  const payment = await eventually(async () => {
    const res = await adminGet<{ rows: { doc: { type: string; method: string; amount: number; terminal: string } }[] }>(
      'store',
      'lapak_yogya_bsd_ops/_all_docs?include_docs=true',
    );
    return res.body.rows.map((r) => r.doc).find((d) => d.type === 'payment' && d.terminal === 'KASIR-GEPREK-01');
  });
  expect(payment.method).toBe('cash');
  await expect(kiosk.getByText('Lunas')).toBeVisible({ timeout: 20_000 });

  await cashier.getByRole('button', { name: /Ringkasan shift/ }).click();
  await expect(cashier.getByTestId('report-title')).toHaveText(/Laporan X/);
  await expect(cashier.getByTestId('report-paidBy-cash')).toHaveText(/Rp [1-9]/);
  await expect(cashier.getByTestId('report-collected')).toHaveText((await cashier.getByTestId('report-paidBy-cash').textContent())!);
  await cashier.screenshot({ path: 'docs/screenshots/cashier-shift.png' });
  await kiosk.close();
  await cashier.close();
});

test('the cashier sells with cash and change, and voids with a reason and a supervisor’s PIN', async ({ page }) => {
  await pairThroughWizard(page, 'KASIR-NASGR-01');
  await startCashier(page);
  await page.locator('[data-testid^="product-"]:not([disabled])').first().click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /Tambah ke pesanan/ })
    .click();
  await page.getByRole('button', { name: 'Tunai' }).click();
  await page.getByLabel('Uang diterima').fill('50000');
  await expect(page.getByTestId('change')).not.toHaveText('Rp 0');
  const change = (await page.getByTestId('change').textContent())!;
  await page.getByTestId('charge').click();
  // After charging: the order number and the change due, large, then the next customer.
  await expect(page.getByTestId('charged-number')).toHaveText(/^[A-Z0-9]+-\d{4}$/);
  await expect(page.getByTestId('charged-change')).toHaveText(change);
  await page.screenshot({ path: 'docs/screenshots/cashier-charged.png' });
  await page.getByTestId('next-customer').click();
  await expect(page.getByTestId('charged')).toBeHidden();
  await expect(page.getByText('Belum ada pesanan.')).toBeVisible();
  const todayTab = page.getByRole('button', { name: 'Pesanan hari ini' });
  await expect(async () => {
    await todayTab.click();
    await expect(todayTab).toHaveAttribute('aria-pressed', 'true', { timeout: 500 });
  }).toPass();
  const today = page.getByTestId('today');
  const sale = today.getByRole('listitem').filter({ hasText: 'Lunas' }).first();
  await expect(sale).toBeVisible();
  const number = (await sale.locator('strong').first().textContent())!.trim();
  await sale.getByRole('button', { name: 'Batalkan' }).click();
  const confirm = page.getByRole('dialog').getByRole('button', { name: 'Batalkan pesanan' });
  await expect(confirm).toBeDisabled();
  await page.getByLabel('Alasan pembatalan').fill('Salah input menu');
  await confirm.click();
  // Sari is a cashier: Budi, the supervisor, approves with his PIN on her screen.
  await enterPin(page, SUPERVISOR, page.getByTestId('approval'));
  await expect(today.getByRole('listitem').filter({ hasText: number })).toContainText('Dibatalkan');
  const voids = await eventually(async () => {
    const res = await adminGet<{ rows: { doc: { type: string; reason: string; staff: string; approved_by: string } }[] }>(
      'store',
      'lapak_yogya_bsd_ops/_all_docs?include_docs=true',
    );
    return res.body.rows.map((r) => r.doc).find((d) => d.type === 'void' && d.reason === 'Salah input menu');
  });
  expect(voids).toMatchObject({ staff: 'staff:sari', approved_by: 'staff:budi' });
});
