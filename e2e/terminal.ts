// Driving the setup wizard and the kiosk as a person would.
import { expect, type Page } from '@playwright/test';
import { e2eEnv, freshCode } from './env';

export const brandOf: Record<string, string> = {
  'KIOSK-GEPREK-01': 'AYAMGEPREK',
  'KASIR-GEPREK-01': 'AYAMGEPREK',
  'KITCHEN-GEPREK': 'AYAMGEPREK',
  'KIOSK-NASGR-01': 'NASGORENG',
  'KASIR-NASGR-01': 'NASGORENG',
  'KIOSK-MIE-01': 'MIEAYAM',
  'KASIR-MIE-01': 'MIEAYAM',
  'KITCHEN-GEPREK-02': 'AYAMGEPREK',
  'KITCHEN-NASGR': 'NASGORENG',
  'KITCHEN-MIE': 'MIEAYAM',
  'BOARD-01': 'AYAMGEPREK',
};

/** Pairs this page's device with a terminal through the setup URL, and presses Start. */
export async function pairThroughWizard(page: Page, terminal: string, opts: { screenshots?: boolean; code?: string } = {}): Promise<void> {
  const code = opts.code ?? (await freshCode(terminal));
  await page.goto(`${e2eEnv().storeUrl}/setup?brand=${brandOf[terminal]}&terminal=${terminal}&code=${code}`);
  await expect(page.getByTestId('registry-type')).not.toHaveText(/^—/);
  if (opts.screenshots) await page.screenshot({ path: 'docs/screenshots/setup-step1.png' });
  await page.getByRole('button', { name: /Lanjut/ }).click();
  await page.getByRole('button', { name: '80 mm' }).click();
  await page.getByRole('button', { name: 'Pasang terminal' }).click();
  await expect(page.getByText('Pemasangan selesai')).toBeVisible();
  await expect(page.getByTestId('done-terminal')).toContainText(terminal);
  if (opts.screenshots) await page.screenshot({ path: 'docs/screenshots/setup-done.png' });
  await page.getByRole('button', { name: /Mulai/ }).click();
}

/**
 * Places a kiosk order for one product; returns the order number shown to the customer (with
 * QRIS: on the paying screen, which stays until the provider answers).
 */
export async function kioskOrder(
  page: Page,
  opts: { category?: string; product?: RegExp; name?: string; pay?: 'cashier' | 'qris' } = {},
): Promise<string> {
  await page.getByTestId('kiosk-welcome').click();
  if (opts.category) await page.getByRole('button', { name: opts.category, exact: true }).click();
  const product = page
    .locator('[data-testid^="product-"]:not([disabled])')
    .filter({ hasText: opts.product ?? /./ })
    .first();
  await product.click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /Tambah ke pesanan/ })
    .click();
  await page.getByRole('button', { name: /Pesan sekarang/ }).click();
  await page.getByRole('button', { name: /Makan di sini/ }).click();
  await page.getByLabel(/Nama Anda/).fill(opts.name ?? 'Rina');
  if (opts.pay === 'qris') await page.getByRole('button', { name: 'QRIS' }).click();
  await page.getByRole('button', { name: 'Kirim pesanan' }).click();
  const number = page.getByTestId(opts.pay === 'qris' ? 'paying-number' : 'order-number');
  await expect(number).toBeVisible();
  return (await number.textContent())!.trim();
}

/**
 * Opens the kiosk with its bench hook and waits until it can take an order (the menu has
 * reached the tablet); the warm-up order it places is a real one.
 */
export async function openBenchKiosk(page: Page): Promise<void> {
  await page.goto(`${e2eEnv().storeUrl}/kiosk?bench=1`);
  await expect
    .poll(
      () =>
        page.evaluate(
          () =>
            !!window.__lapakBench &&
            window.__lapakBench.placeOrder().then(
              () => true,
              () => false,
            ),
        ),
      { timeout: 20_000 },
    )
    .toBe(true);
}

/** Places `count` orders through the bench hook, one after the other; returns their numbers. */
export function benchOrders(page: Page, count: number): Promise<string[]> {
  return page.evaluate(async (n) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push((await window.__lapakBench!.placeOrder()).number);
    return out;
  }, count);
}

/** The demo store's people (scripts/demo/yogya-staff.ts). */
export const CASHIER = { name: 'Sari', pin: '1111' };
export const SUPERVISOR = { name: 'Budi', pin: '2222' };

/** Picks a person and enters their PIN on a PIN entry (sign-in or approval) inside `scope`. */
export async function enterPin(page: Page, person: { name: string; pin: string }, scope = page.getByTestId('sign-in')): Promise<void> {
  await scope.getByRole('button', { name: new RegExp(`^${person.name}\\b`) }).click();
  await scope.getByLabel(/PIN/).fill(person.pin);
  await scope.getByRole('button', { name: 'OK', exact: true }).click();
}

/** A paired cashier: the cashier signs in with her PIN and, unless one is open, opens a shift with a counted float. */
export async function startCashier(page: Page, opts: { float?: number; person?: { name: string; pin: string } } = {}): Promise<void> {
  const person = opts.person ?? CASHIER;
  await enterPin(page, person);
  await expect(page.getByTestId('on-duty')).toContainText(person.name);
  await openTab(page, /Ringkasan shift/);
  const open = page.getByTestId('open-shift');
  const report = page.getByTestId('report-title');
  await expect(open.or(report)).toBeVisible();
  if (await open.isVisible()) {
    await page.getByLabel('Modal awal di laci').fill(String(opts.float ?? 500000));
    await open.click();
    await expect(report).toBeVisible();
  }
  await openTab(page, /Pesanan kiosk menunggu bayar/);
}

/** Opens one of the cashier's side tabs; a click that lands while the page re-lays itself out is tried again. */
export async function openTab(page: Page, name: RegExp): Promise<void> {
  const tab = page.getByRole('button', { name });
  await expect(async () => {
    await tab.click();
    await expect(tab).toHaveAttribute('aria-pressed', 'true', { timeout: 500 });
  }).toPass();
}
