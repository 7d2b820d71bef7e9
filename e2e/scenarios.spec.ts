// The offline scenarios of seed 002 ("Testing Scenarios"), end to end in the browser.
import { expect, test, type Page } from '@playwright/test';
import { adminGet, control, e2eEnv, ordersAt } from './env';
import { benchOrders, kioskOrder, openBenchKiosk, pairThroughWizard } from './terminal';

const ticket = (page: Page, number: string) => page.locator(`[data-testid="ticket"][data-number="${number}"]`);

test.afterEach(async () => {
  await control('link/start');
  await control('start/store');
});

test('scenario 1: an internet outage during service; the store keeps working and catches up exactly once', async ({ browser }) => {
  test.setTimeout(180_000);
  const kiosk = await browser.newPage();
  await pairThroughWizard(kiosk, 'KIOSK-MIE-01');
  const kitchen = await browser.newPage();
  await pairThroughWizard(kitchen, 'KITCHEN-MIE');
  await kiosk.getByTestId('kiosk-welcome').click();
  await kiosk.getByRole('button', { name: 'Minuman', exact: true }).click();
  const tea = kiosk.getByTestId('product-product:mieayam-es-teh');
  await expect(tea).toBeVisible();
  await kiosk.reload();

  await control('link/stop');
  const numbers: string[] = [];
  for (const name of ['Fajar', 'Gita', 'Hana']) {
    numbers.push(await kioskOrder(kiosk, { name }));
    await kiosk.getByRole('button', { name: 'Pesanan baru' }).click();
  }
  for (const n of numbers) await expect(ticket(kitchen, n)).toBeVisible({ timeout: 10_000 });
  // HQ changes a price while the store cannot hear of it.
  const c = e2eEnv().centralCouch;
  const auth = {
    authorization: 'Basic ' + Buffer.from(`${c.username}:${c.password}`).toString('base64'),
    'content-type': 'application/json',
  };
  const doc = (await adminGet<{ price: number }>('central', 'lapak_yogya_catalog/product%3Amieayam-es-teh')).body;
  const newPrice = doc.price + 1000;
  await fetch(`${c.url}/lapak_yogya_catalog/product%3Amieayam-es-teh`, {
    method: 'PUT',
    headers: auth,
    body: JSON.stringify({ ...doc, price: newPrice, updated_at: new Date().toISOString() }),
  });
  // The outage lasts long enough for the replicators to back off (two hours are played in seconds).
  await kiosk.waitForTimeout(15_000);
  expect((await ordersAt('central', 'KIOSK-MIE-01')).filter((o) => numbers.includes(o.number))).toEqual([]);

  const back = Date.now();
  await control('link/start');
  await expect
    .poll(
      async () =>
        (await ordersAt('central', 'KIOSK-MIE-01'))
          .map((o) => o.number)
          .filter((n) => numbers.includes(n))
          .sort(),
      { timeout: 60_000 },
    )
    .toEqual([...numbers].sort());
  console.log(`scenario 1: ${numbers.length} orders at central ${((Date.now() - back) / 1000).toFixed(1)} s after the link returned`);
  await kiosk.getByTestId('kiosk-welcome').click();
  await kiosk.getByRole('button', { name: 'Minuman', exact: true }).click();
  await expect(tea).toContainText(`Rp ${newPrice.toLocaleString('id-ID')}`, { timeout: 60_000 });
  await kiosk.close();
  await kitchen.close();
});

test('scenario 2: the store server killed in the middle of replication; terminals reconnect by themselves and nothing is lost or doubled', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const kiosk = await browser.newPage();
  await pairThroughWizard(kiosk, 'KIOSK-GEPREK-01');
  const kitchen = await browser.newPage();
  await pairThroughWizard(kitchen, 'KITCHEN-GEPREK');
  await openBenchKiosk(kiosk);

  // Heavy replication: 60 orders placed as fast as the tablet can, the server killed half-way.
  const burst = benchOrders(kiosk, 60);
  await kiosk.waitForTimeout(300);
  await control('kill/store');
  const numbers = await burst;
  await kiosk.waitForTimeout(2000);
  await control('start/store');
  const restarted = Date.now();
  const after = (await benchOrders(kiosk, 1))[0]!;
  await expect(ticket(kitchen, after)).toBeVisible({ timeout: 60_000 });
  console.log(
    `scenario 2: first new order on the kitchen display ${((Date.now() - restarted) / 1000).toFixed(1)} s after the store server accepted connections again (target < 10 s)`,
  );

  const all = [...numbers, after];
  await expect
    .poll(async () => (await ordersAt('store', 'KIOSK-GEPREK-01')).map((o) => o.number).filter((n) => all.includes(n)).length, {
      timeout: 60_000,
    })
    .toBe(all.length);
  const stored = (await ordersAt('store', 'KIOSK-GEPREK-01')).map((o) => o.number);
  expect(new Set(stored).size).toBe(stored.length);
  await kiosk.close();
  await kitchen.close();
});
