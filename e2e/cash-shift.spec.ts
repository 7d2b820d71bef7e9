// A cashier's shift from the counted float to the Z report: two cash sales, a pay-out, a paid
// order voided and refunded and another refunded, each with the supervisor's PIN; a blind count
// short by Rp 5.000. The drawer's figures are the accounting rules' (accounting.ts).
import { expect, test, type Page } from '@playwright/test';
import { adminGet } from './env';
import { CASHIER, enterPin, openTab, pairThroughWizard, SUPERVISOR } from './terminal';

async function sell(page: Page): Promise<string> {
  await page.locator('[data-testid^="product-"]:not([disabled])').first().click();
  const add = page.getByRole('dialog').getByRole('button', { name: /Tambah ke pesanan/ });
  if (await add.isVisible().catch(() => false)) await add.click();
  await page.getByRole('button', { name: 'Uang pas' }).click();
  await page.getByTestId('charge').click();
  const number = (await page.getByTestId('charged-number').textContent())!.trim();
  await page.getByTestId('next-customer').click();
  return number;
}

async function todayRow(page: Page, number: string) {
  await openTab(page, /Pesanan hari ini/);
  return page.getByTestId('today').getByRole('listitem').filter({ hasText: number });
}

async function approve(page: Page, screenshot?: string) {
  await expect(page.getByTestId('approval')).toBeVisible();
  if (screenshot) await page.screenshot({ path: `docs/screenshots/${screenshot}.png` });
  await enterPin(page, SUPERVISOR, page.getByTestId('approval'));
  await expect(page.getByTestId('approval')).toBeHidden();
}

async function refundInCash(page: Page, number: string, reason: string, screenshots = false) {
  await (await todayRow(page, number)).getByRole('button', { name: 'Refund' }).click();
  const dialog = page.getByTestId('refund-dialog');
  await dialog.getByRole('button', { name: 'Tunai dari laci' }).click();
  await dialog.getByLabel('Alasan refund').fill(reason);
  if (screenshots) await page.screenshot({ path: 'docs/screenshots/cashier-refund.png' });
  await dialog.getByTestId('confirm-refund').click();
  await approve(page, screenshots ? 'cashier-approval' : undefined);
  await expect(await todayRow(page, number)).toContainText('Direfund');
}

test('a shift from its float to the Z report: pay-out, a supervisor-approved void and refunds, a blind count', async ({ page }) => {
  test.setTimeout(120_000);
  await pairThroughWizard(page, 'KASIR-MIE-01');
  await expect(page.getByTestId('sign-in')).toBeVisible();
  await page
    .getByTestId('sign-in')
    .getByRole('button', { name: /^Sari\b/ })
    .click();
  await page.screenshot({ path: 'docs/screenshots/cashier-sign-in.png' });
  // A wrong PIN is refused and says how many tries are left.
  await page.getByTestId('sign-in').getByLabel(/PIN/).fill('9999');
  await page.getByTestId('sign-in').getByRole('button', { name: 'OK', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('PIN salah. Sisa 4 kali coba.');
  await enterPin(page, CASHIER);
  await expect(page.getByTestId('on-duty')).toContainText('Sari');

  // No shift yet: nothing can be charged until the float is counted in.
  await openTab(page, /Ringkasan shift/);
  await page.getByLabel('Modal awal di laci').fill('200000');
  await page.screenshot({ path: 'docs/screenshots/cashier-shift-open.png' });
  await page.getByTestId('open-shift').click();
  await expect(page.getByTestId('report-title')).toHaveText('Laporan X (sementara)');

  const first = await sell(page);
  const second = await sell(page);

  await openTab(page, /Ringkasan shift/);
  await page.getByRole('button', { name: 'Kas keluar' }).click();
  await page.getByLabel('Jumlah').fill('15000');
  await page.getByLabel(/Keterangan/).fill('Beli es batu');
  await page.getByRole('button', { name: 'Catat' }).click();
  await expect(page.getByText('Kas keluar Rp 15.000 dicatat.')).toBeVisible();

  // The second order is voided (paid: its money goes back with a refund), the first refunded in cash.
  await (await todayRow(page, second)).getByRole('button', { name: 'Batalkan' }).click();
  await expect(page.getByRole('dialog')).toContainText('sudah dibayar');
  await page.getByLabel('Alasan pembatalan').fill('Pelanggan batal');
  await page.getByRole('dialog').getByRole('button', { name: 'Batalkan pesanan' }).click();
  await approve(page);
  await expect(await todayRow(page, second)).toContainText('Dibatalkan');
  await refundInCash(page, second, 'Pesanan dibatalkan');
  await refundInCash(page, first, 'Makanan dingin', true);

  await openTab(page, /Ringkasan shift/);
  await expect(page.getByTestId('report-expected')).toHaveText('Rp 185.000');
  await page.screenshot({ path: 'docs/screenshots/cashier-x-report.png' });

  // A blind count: what was expected shows only once the count is saved.
  await page.getByTestId('close-shift').click();
  await expect(page.getByTestId('report-expected')).toHaveCount(0);
  await page.getByLabel('Uang tunai terhitung').fill('180000');
  await page.getByTestId('confirm-close').click();
  await expect(page.getByTestId('report-title')).toHaveText('Laporan Z (tutup shift)');
  await expect(page.getByTestId('report-expected')).toHaveText('Rp 185.000');
  await expect(page.getByTestId('report-counted')).toHaveText('Rp 180.000');
  await expect(page.getByTestId('report-difference')).toHaveText('-Rp 5.000');
  await expect(page.getByTestId('report-voids')).not.toHaveText('Rp 0');
  await page.screenshot({ path: 'docs/screenshots/cashier-z-report.png', fullPage: true });
  // The same report in English, on a tablet held upright.
  await page.setViewportSize({ width: 800, height: 1280 });
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByTestId('report-title')).toHaveText('Z report (shift closed)');
  await page.screenshot({ path: 'docs/screenshots/cashier-z-report-portrait-en.png', fullPage: true });
  await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();

  // What the store server has: every fact names Sari, and Budi approved the void and refunds.
  await expect
    .poll(
      async () => {
        const res = await adminGet<{ rows: { doc: Record<string, unknown> }[] }>(
          'store',
          'lapak_yogya_bsd_ops/_all_docs?include_docs=true',
        );
        const mine = res.body.rows.map((r) => r.doc).filter((d) => d.terminal === 'KASIR-MIE-01');
        const close = mine.find((d) => d.type === 'shift_close');
        return {
          close: close && { counted: close.counted, expected: close.expected, staff: close.staff },
          refunds: mine.filter((d) => d.type === 'refund' && d.approved_by === 'staff:budi' && d.method === 'cash').length,
          payOuts: mine.filter((d) => d.type === 'cash_movement' && d.kind === 'pay_out' && d.amount === 15000).length,
        };
      },
      { timeout: 20_000 },
    )
    .toEqual({ close: { counted: 180000, expected: 185000, staff: 'staff:sari' }, refunds: 2, payOuts: 1 });
});
