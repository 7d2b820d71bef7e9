// Money on the kiosk is confirmed by the payment provider, never by the customer's tap: a
// dynamic QRIS through the provider simulator, the provider unreachable (the kiosk sends the
// customer to the cashier and says why), and a cashier confirming a static QRIS by its reference.
import { expect, test, type Page } from '@playwright/test';
import { adminGet, simulator } from './env';
import { kioskOrder, pairThroughWizard, startCashier } from './terminal';

const OPS = 'lapak_yogya_bsd_ops';

interface OpsRow {
  _id: string;
  type: string;
  number?: string;
  order_id?: string;
  writer?: string;
  amount?: number;
  method?: string;
  reference?: string;
  request_id?: string;
  reason?: string;
  terminal?: string;
}

async function opsDocs(side: 'store' | 'central'): Promise<OpsRow[]> {
  const res = await adminGet<{ rows: { doc: OpsRow }[] }>(side, `${OPS}/_all_docs?include_docs=true`);
  return (res.body.rows ?? []).map((r) => r.doc);
}

async function eventually<T>(probe: () => Promise<T | null | undefined | false>, timeout = 20_000): Promise<T> {
  let value: T | null | undefined | false = null;
  await expect.poll(async () => (value = await probe()) || null, { timeout }).not.toBeNull();
  return value as T;
}

/** The order a number names at the store, and its provider request. */
async function orderAndRequest(number: string) {
  return eventually(async () => {
    const docs = await opsDocs('store');
    const order = docs.find((d) => d.type === 'order' && d.number === number);
    const request = order && docs.find((d) => d.type === 'payment_request' && d.order_id === order._id);
    return order && request ? { order, request } : null;
  });
}

async function noPaidButton(page: Page) {
  await expect(page.getByRole('button', { name: /berhasil|lunas|sudah bayar|paid/i })).toHaveCount(0);
}

test('a kiosk pays by dynamic QRIS through the provider simulator; only the provider’s confirmation makes it paid', async ({ page }) => {
  await pairThroughWizard(page, 'KIOSK-NASGR-01');
  const number = await kioskOrder(page, { name: 'Dewi', pay: 'qris' });
  await expect(page.getByTestId('qris-code')).toBeVisible({ timeout: 20_000 });
  await noPaidButton(page);
  await page.screenshot({ path: 'docs/screenshots/kiosk-qris.png' });

  const { order, request } = await orderAndRequest(number);
  // Nothing is paid until the provider settles.
  expect((await opsDocs('store')).filter((d) => d.type === 'payment' && d.order_id === order._id)).toEqual([]);
  await simulator(`settle/${request._id.slice('payment_request:'.length)}`);

  await expect(page.getByTestId('order-number')).toHaveText(number, { timeout: 20_000 });
  await expect(page.getByText('Lunas')).toBeVisible();
  const payments = await eventually(async () => {
    const p = (await opsDocs('store')).filter((d) => d.type === 'payment' && d.order_id === order._id);
    return p.length ? p : null;
  });
  expect(payments).toHaveLength(1);
  expect(payments[0]).toMatchObject({ writer: 'connector', method: 'qris', request_id: request._id });
  await eventually(async () => (await opsDocs('central')).find((d) => d._id === payments[0]!._id));
});

test('with the provider unreachable the kiosk says why and sends the customer to the cashier, who sees the order unpaid', async ({
  browser,
}) => {
  const kiosk = await browser.newPage();
  await pairThroughWizard(kiosk, 'KIOSK-NASGR-01');
  const cashier = await browser.newPage();
  await pairThroughWizard(cashier, 'KASIR-NASGR-01');
  await startCashier(cashier);
  await simulator('down');
  try {
    const number = await kioskOrder(kiosk, { name: 'Eko', pay: 'qris' });
    const problem = kiosk.getByTestId('qris-problem');
    await expect(problem).toBeVisible({ timeout: 20_000 });
    await expect(problem).toContainText('Layanan pembayaran tidak dapat dihubungi');
    await noPaidButton(kiosk);
    await kiosk.screenshot({ path: 'docs/screenshots/kiosk-qris-unavailable.png' });
    await kiosk.getByRole('button', { name: 'Bayar di kasir' }).click();
    await expect(kiosk.getByTestId('order-number')).toHaveText(number);
    await expect(kiosk.getByText('Belum bayar')).toBeVisible();

    // The cashier confirms a static QRIS by the reference on the store phone's notification.
    const row = cashier.getByTestId('awaiting').getByRole('button', { name: new RegExp(number) });
    await expect(row).toBeVisible({ timeout: 20_000 });
    await row.click();
    await cashier.getByRole('button', { name: 'QRIS', exact: true }).click();
    await expect(cashier.getByTestId('charge')).toBeDisabled();
    await cashier.getByLabel('Nomor referensi').fill('QR-8812-3301');
    await cashier.screenshot({ path: 'docs/screenshots/cashier-static-qris.png' });
    await cashier.getByTestId('charge').click();
    await expect(cashier.getByTestId('charged-number')).toHaveText(number);
    await expect(kiosk.getByText('Lunas')).toBeVisible({ timeout: 20_000 });
    const { order, request } = await orderAndRequest(number);
    const docs = await opsDocs('store');
    const paid = docs.filter((d) => d.type === 'payment' && d.order_id === order._id);
    expect(paid).toHaveLength(1);
    expect(paid[0]).toMatchObject({ method: 'qris', reference: 'QR-8812-3301', terminal: 'KASIR-NASGR-01' });
    expect(paid[0]).not.toHaveProperty('writer');
    // The request the provider never took stays a failure, with its reason.
    const key = request._id.slice('payment_request:'.length);
    expect(docs.find((d) => d._id === `payment_update:${key}-failed`)).toMatchObject({ reason: 'provider_unreachable' });
  } finally {
    await simulator('up');
    await kiosk.close();
    await cashier.close();
  }
});
