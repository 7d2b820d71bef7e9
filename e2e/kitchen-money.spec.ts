// The kitchen cooks what is real: unpaid tickets are marked, a store that cooks on payment
// sends an order to the kitchen and the ready board only once it is paid, and a voided order
// becomes a void ticket the cook acknowledges instead of vanishing mid-cooking.
import { expect, test, type Page } from '@playwright/test';
import { adminGet, adminPut } from './env';
import { enterPin, kioskOrder, pairThroughWizard, startCashier, SUPERVISOR } from './terminal';

const DIRECTORY = 'lapak_yogya_bsd_directory';
const ticket = (page: Page, number: string) => page.locator(`[data-testid="ticket"][data-number="${number}"]`);

/** Sets the store's kitchen rule as HQ would in the store's directory document. */
async function kitchenSends(value: 'on_order' | 'when_paid' | undefined): Promise<void> {
  const { body } = await adminGet<Record<string, unknown>>('store', `${DIRECTORY}/store`);
  const next: Record<string, unknown> = { ...body, updated_at: new Date().toISOString() };
  if (value) next.kitchen_sends = value;
  else delete next.kitchen_sends;
  await adminPut('store', `${DIRECTORY}/store`, next);
}

async function charge(cashier: Page, number: string): Promise<void> {
  const row = cashier.getByTestId('awaiting').getByRole('button', { name: new RegExp(number) });
  await expect(row).toBeVisible({ timeout: 20_000 });
  await row.click();
  await expect(cashier.getByTestId('settling-number')).toHaveText(number);
  await cashier.getByRole('button', { name: 'Uang pas' }).click();
  await cashier.getByTestId('charge').click();
  await expect(cashier.getByTestId('charged-number')).toHaveText(number);
  await cashier.getByTestId('next-customer').click();
}

test('unpaid tickets are marked; cook-when-paid holds an order back until the cashier is paid; a void becomes a void ticket', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  // The noodle brand's terminals: the other specs count what the chicken brand's cashier took today.
  const kiosk = await browser.newPage();
  await pairThroughWizard(kiosk, 'KIOSK-MIE-01');
  const cashier = await browser.newPage();
  await pairThroughWizard(cashier, 'KASIR-MIE-01');
  await startCashier(cashier);
  const kitchen = await browser.newPage();
  await pairThroughWizard(kitchen, 'KITCHEN-MIE');
  const board = await browser.newPage();
  await pairThroughWizard(board, 'BOARD-01');
  try {
    // Cook on order (the default): the ticket comes at once, marked unpaid until the cashier takes the money.
    const first = await kioskOrder(kiosk, { name: 'Wati' });
    await expect(ticket(kitchen, first).getByTestId('unpaid-mark')).toHaveText('BELUM BAYAR', { timeout: 20_000 });
    await kitchen.screenshot({ path: 'docs/screenshots/kitchen-unpaid.png' });
    await charge(cashier, first);
    await expect(ticket(kitchen, first).getByTestId('unpaid-mark')).toHaveCount(0, { timeout: 20_000 });
    await ticket(kitchen, first).getByRole('button', { name: 'Mulai masak' }).click();
    await ticket(kitchen, first).getByRole('button', { name: 'Siap' }).click();
    await ticket(kitchen, first).getByRole('button', { name: 'Diambil' }).click();
    await expect(ticket(kitchen, first)).toHaveCount(0);

    // Cook when paid.
    await kitchenSends('when_paid');
    await kiosk.getByRole('button', { name: /Pesanan baru/ }).click();
    const held = await kioskOrder(kiosk, { name: 'Yuni' });
    await kiosk.getByRole('button', { name: /Pesanan baru/ }).click();
    const paidFirst = await kioskOrder(kiosk, { name: 'Zaki' });
    await charge(cashier, paidFirst);
    // The later, paid order reaches the kitchen and the board; the earlier unpaid one (replicated before it) does not.
    await expect(ticket(kitchen, paidFirst)).toBeVisible({ timeout: 20_000 });
    await expect(board.getByTestId('board-preparing').locator(`[data-number="${paidFirst}"]`)).toBeVisible({ timeout: 20_000 });
    await expect(ticket(kitchen, held)).toHaveCount(0);
    await expect(board.getByTestId('board-preparing').locator(`[data-number="${held}"]`)).toHaveCount(0);

    // Paid: now it is cooked. Then the cashier voids it while it is on the stove.
    await charge(cashier, held);
    await expect(ticket(kitchen, held)).toBeVisible({ timeout: 20_000 });
    await ticket(kitchen, held).getByRole('button', { name: 'Mulai masak' }).click();
    await expect(ticket(kitchen, held)).toHaveAttribute('data-status', 'preparing');
    const todayTab = cashier.getByRole('button', { name: 'Pesanan hari ini' });
    await expect(async () => {
      await todayTab.click();
      await expect(todayTab).toHaveAttribute('aria-pressed', 'true', { timeout: 500 });
    }).toPass();
    await cashier.getByTestId('today').getByRole('listitem').filter({ hasText: held }).getByRole('button', { name: 'Batalkan' }).click();
    await cashier.getByLabel('Alasan pembatalan').fill('Pelanggan batal');
    await cashier.getByRole('dialog').getByRole('button', { name: 'Batalkan pesanan' }).click();
    await enterPin(cashier, SUPERVISOR, cashier.getByTestId('approval'));

    await expect(ticket(kitchen, held)).toHaveAttribute('data-status', 'void', { timeout: 20_000 });
    await expect(ticket(kitchen, held).getByTestId('void-mark')).toContainText('DIBATALKAN');
    await expect(board.getByTestId('board-preparing').locator(`[data-number="${held}"]`)).toHaveCount(0, { timeout: 20_000 });
    await kitchen.screenshot({ path: 'docs/screenshots/kitchen-void-ticket.png' });
    await ticket(kitchen, held).getByRole('button', { name: 'Oke, sudah dilihat' }).click();
    await expect(ticket(kitchen, held)).toHaveCount(0);
    // The paid order is cooked and picked up: this brand's kitchen is left with nothing open.
    for (const step of ['Mulai masak', 'Siap', 'Diambil']) await ticket(kitchen, paidFirst).getByRole('button', { name: step }).click();
    await expect(ticket(kitchen, paidFirst)).toHaveCount(0);
  } finally {
    await kitchenSends(undefined);
    for (const p of [kiosk, cashier, kitchen, board]) await p.close();
  }
});
