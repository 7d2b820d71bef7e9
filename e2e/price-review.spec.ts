// Seed scenario 3: HQ changes a price while the tablet cannot hear of it; the order keeps
// the price the customer saw and, once the new catalog arrives, is flagged for review.
import { expect, test } from '@playwright/test';
import { adminGet, e2eEnv } from './env';
import { kioskOrder, pairThroughWizard } from './terminal';

test('an order taken at a price HQ had already changed is kept and flagged for review', async ({ page, context }) => {
  await pairThroughWizard(page, 'KIOSK-GEPREK-01');
  await page.getByTestId('kiosk-welcome').click();
  await page.getByRole('button', { name: 'Ala Carte', exact: true }).click();
  const card = page.getByTestId('product-product:ayamgeprek-geprek-original');
  await expect(card).toBeVisible();
  const oldPrice = (await adminGet<{ price: number }>('central', 'lapak_yogya_catalog/product%3Aayamgeprek-geprek-original')).body.price;
  await page.reload();

  await context.setOffline(true);
  const c = e2eEnv().centralCouch;
  const auth = {
    authorization: 'Basic ' + Buffer.from(`${c.username}:${c.password}`).toString('base64'),
    'content-type': 'application/json',
  };
  const doc = (await adminGet<Record<string, unknown>>('central', 'lapak_yogya_catalog/product%3Aayamgeprek-geprek-original')).body;
  const changed = await fetch(`${c.url}/lapak_yogya_catalog/product%3Aayamgeprek-geprek-original`, {
    method: 'PUT',
    headers: auth,
    body: JSON.stringify({ ...doc, price: oldPrice + 2000, updated_at: new Date().toISOString() }),
  });
  expect(changed.status).toBe(201);

  const number = await kioskOrder(page, { category: 'Ala Carte', product: /Ayam Geprek Original/ });
  await context.setOffline(false);

  await expect
    .poll(
      async () => {
        const res = await adminGet<{ rows: { doc: { type: string; reason: string; detail: string; order_id: string } }[] }>(
          'store',
          'lapak_yogya_bsd_ops/_all_docs?include_docs=true',
        );
        return (
          res.body.rows
            .map((r) => r.doc)
            .find((d) => d.type === 'review' && d.reason === 'price_override' && d.detail.includes(`charged ${oldPrice}`)) ?? null
        );
      },
      { timeout: 30_000 },
    )
    .not.toBeNull();
  const orders = await adminGet<{ rows: { doc: { type: string; number: string; items: { unit_price: number }[] } }[] }>(
    'store',
    'lapak_yogya_bsd_ops/_all_docs?include_docs=true',
  );
  const order = orders.body.rows.map((r) => r.doc).find((d) => d.type === 'order' && d.number === number)!;
  expect(order.items[0]!.unit_price).toBe(oldPrice);
});
