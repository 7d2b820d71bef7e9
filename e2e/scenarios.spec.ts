// The offline scenarios of seed 002 ("Testing Scenarios"), end to end in the browser.
import { expect, test, type Page } from '@playwright/test';
import { adminGet, control, e2eEnv, ordersAt } from './env';
import { benchOrders, CASHIER, enterPin, kioskOrder, openBenchKiosk, pairThroughWizard } from './terminal';

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

interface StoredDoc {
  _id: string;
  type: string;
  terminal: string;
  number: string;
  reason: string;
  order_id: string;
}

async function storeDocs(): Promise<StoredDoc[]> {
  return (await adminGet<{ rows: { doc: StoredDoc }[] }>('store', 'lapak_yogya_bsd_ops/_all_docs?include_docs=true')).body.rows.map(
    (r) => r.doc,
  );
}

/** Whether the device's own replica (PouchDB in IndexedDB) already holds a document. */
function onDevice(page: Page, id: string): Promise<boolean> {
  return page.evaluate(
    (docId) =>
      new Promise<boolean>((resolve) => {
        const open = indexedDB.open('_pouch_lapak_yogya_bsd_ops');
        open.onerror = () => resolve(false);
        open.onsuccess = () => {
          const db = open.result;
          const done = (found: boolean) => {
            db.close();
            resolve(found);
          };
          if (!db.objectStoreNames.contains('document-store')) return done(false);
          const get = db.transaction('document-store').objectStore('document-store').get(docId);
          get.onsuccess = () => done(!!get.result);
          get.onerror = () => done(false);
        };
      }),
    id,
  );
}

test('scenario 4: a re-paired tablet reuses an order number; both orders are kept, flagged once, and the cashier tells them apart', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  // The kiosk's first tablet: its last order before it drops off the network has reached the store.
  const first = await browser.newContext();
  const a = await first.newPage();
  await pairThroughWizard(a, 'KIOSK-NASGR-01');
  await openBenchKiosk(a);
  const [synced] = await benchOrders(a, 1);
  await expect.poll(async () => (await storeDocs()).find((d) => d.type === 'order' && d.number === synced)?._id ?? null).not.toBeNull();
  const syncedId = (await storeDocs()).find((d) => d.type === 'order' && d.number === synced)!._id;
  await first.setOffline(true);
  const [offline] = await benchOrders(a, 1);

  // A replacement tablet is paired as the same terminal; it knows the store's orders, not the offline one.
  const second = await browser.newContext();
  const b = await second.newPage();
  await pairThroughWizard(b, 'KIOSK-NASGR-01');
  await b.goto(`${e2eEnv().storeUrl}/kiosk?bench=1`);
  await expect.poll(() => onDevice(b, syncedId), { timeout: 20_000 }).toBe(true);
  // Its first order (once the menu is there) continues the store's sequence: the number the first tablet used offline.
  const placeOnB = () =>
    b.evaluate(() =>
      window.__lapakBench
        ? window.__lapakBench.placeOrder().then(
            (r) => r.number,
            () => '',
          )
        : '',
    );
  let reused = '';
  await expect.poll(async () => (reused = await placeOnB()), { timeout: 20_000 }).not.toBe('');
  expect(reused).toBe(offline);

  // The first tablet comes back from repair and is paired again: its offline order arrives.
  await first.setOffline(false);
  await pairThroughWizard(a, 'KIOSK-NASGR-01');
  await expect
    .poll(async () => (await storeDocs()).filter((d) => d.type === 'order' && d.number === offline).length, { timeout: 30_000 })
    .toBe(2);
  const pair = (await storeDocs()).filter((d) => d.type === 'order' && d.number === offline).sort((x, y) => (x._id < y._id ? -1 : 1));
  const later = pair[1]!;

  const cashier = await browser.newPage();
  await pairThroughWizard(cashier, 'KASIR-NASGR-01');
  await enterPin(cashier, CASHIER);
  const reviewsOf = async () =>
    (await storeDocs()).filter((d) => d.type === 'review' && d.reason === 'number_collision' && d.order_id === later._id);
  await expect.poll(async () => (await reviewsOf()).map((r) => r._id), { timeout: 30_000 }).toEqual([`review:nc-${later._id.slice(6)}`]);

  const todayTab = cashier.getByRole('button', { name: 'Pesanan hari ini' });
  await expect(async () => {
    await todayTab.click();
    await expect(todayTab).toHaveAttribute('aria-pressed', 'true', { timeout: 500 });
  }).toPass();
  const rows = cashier
    .getByTestId('today')
    .getByRole('listitem')
    .filter({ has: cashier.locator('strong', { hasText: offline }) });
  await expect(rows).toHaveCount(2, { timeout: 20_000 });
  const tags = (await rows.getByTestId('number-tag').allTextContents()).map((t) => t.trim());
  expect(tags).toHaveLength(2);
  expect(tags[0]).not.toBe(tags[1]);
  await expect(rows.first()).toContainText('Nomor ganda');
  await cashier.screenshot({ path: 'docs/screenshots/cashier-number-collision.png' });
  // Both tablets and the cashier have seen the collision by now; it is still one review.
  await cashier.waitForTimeout(3000);
  expect(await reviewsOf()).toHaveLength(1);
  await first.close();
  await second.close();
  await cashier.close();
});
