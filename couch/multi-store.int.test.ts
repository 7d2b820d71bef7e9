// Seed scenarios 3 and 4 across two stores and central, and a hostile document arriving by
// replication, all against the real servers.
import PouchDB from 'pouchdb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collisionReviewId, numberCollisions } from '../design-docs/lib/number-collision';
import type { Order } from '../design-docs/lib/types';
import { order } from '../design-docs/testing/fixtures';
import { enc } from './testing/http';
import { adminOf, servers, uniqueCode } from './testing/servers';
import { createHqUser, createStore, type PairedTerminal, type TestStore } from './testing/tenants';
import { waitFor } from './testing/wait-for';

/** As the app replicates (web/src/sync/sync-store.ts): checkpoints stay on the device; the gateway refuses _local writes. */
const ON_DEVICE = { push: { checkpoint: 'source' as const }, pull: { checkpoint: 'target' as const } };

let tenant: string;
let east: TestStore;
let west: TestStore;
const dir = mkdtempSync(join(tmpdir(), 'lapak-replicas-'));

beforeAll(async () => {
  tenant = uniqueCode('ms');
  [east, west] = await Promise.all([createStore(tenant, 'east'), createStore(tenant, 'west')]);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = (s: TestStore, t: PairedTerminal) => ({ tenant: s.tenant, store: s.store, code: t.code, type: t.type, brand: t.brand });

/** A device's PouchDB replica in Node, logged in as a terminal through the store gateway. */
function replicaOf(s: TestStore, t: PairedTerminal) {
  const local = new PouchDB(join(dir, `${s.store}-${t.code}-${Math.random().toString(36).slice(2)}`));
  const remote = new PouchDB(`${servers().store.gatewayUrl}/db/${s.ops}`, {
    auth: { username: t.userName, password: t.secret },
    skip_setup: true,
  });
  return { local, remote };
}

async function centralDoc(db: string, id: string) {
  const res = await adminOf('central').request<Record<string, unknown>>('GET', `${enc(db)}/${enc(id)}`);
  return res.status === 200 ? res.body : null;
}

describe('two stores and central', () => {
  it('scenario 4: the same order number in two stores is kept twice, each whole, told apart by store', async () => {
    const a = east.terminals['KIOSK-GEPREK-01']!;
    const b = west.terminals['KIOSK-GEPREK-01']!;
    const ea = { ...order(spec(east, a), { number: 'K1-0001' }), device_id: a.deviceId };
    const wb = { ...order(spec(west, b), { number: 'K1-0001' }), device_id: b.deviceId };
    expect((await a.client.put(`${east.ops}/${enc(ea._id)}`, ea)).status).toBe(201);
    expect((await b.client.put(`${west.ops}/${enc(wb._id)}`, wb)).status).toBe(201);
    const [atEast, atWest] = await Promise.all([
      waitFor('east order at central', () => centralDoc(east.ops, ea._id)),
      waitFor('west order at central', () => centralDoc(west.ops, wb._id)),
    ]);
    expect(ea._id).not.toBe(wb._id);
    expect(atEast).toMatchObject({ number: 'K1-0001', store: 'east', total: ea.total });
    expect(atWest).toMatchObject({ number: 'K1-0001', store: 'west', total: wb.total });
    // The stores' numbers live in separate databases: neither store sees a collision.
    const dup = await adminOf('store').request<{ rows: { key: string }[] }>(
      'GET',
      `${east.ops}/_design/lapak/_view/orders_by_number?key=${enc('"K1-0001"')}&reduce=false`,
    );
    expect(dup.body.rows).toHaveLength(1);
  });

  it('scenario 4: a number used twice in one store is flagged number_collision once, though two devices notice it', async () => {
    const k = east.terminals['KIOSK-GEPREK-01']!;
    // The terminal's old tablet took K1-0300 offline; its replacement, re-paired before that
    // order had arrived, started its sequence again and took K1-0300 too.
    const devices = [
      { device_id: 'dev_aaaaaaaaaaaa', ...replicaOf(east, k) },
      { device_id: 'dev_bbbbbbbbbbbb', ...replicaOf(east, k) },
    ];
    const orders = devices.map((d) => ({
      ...order(spec(east, k), { number: 'K1-0300', created_at: new Date().toISOString() }),
      device_id: d.device_id,
    }));
    for (const [i, d] of devices.entries()) await d.local.put(orders[i]!);
    for (const d of devices) await PouchDB.replicate(d.local, d.remote, ON_DEVICE.push);
    for (const d of devices) await PouchDB.replicate(d.remote, d.local, ON_DEVICE.pull);
    // Each device does what the app does when an order arrives (orders-store flagNumberCollisions).
    const flagged: string[] = [];
    for (const d of devices) {
      const local = (await d.local.allDocs({ include_docs: true })).rows.map((r) => r.doc as unknown as Order);
      const mine = local.filter((o) => o.type === 'order' && o.number === 'K1-0300');
      const found = numberCollisions(mine, (id) => local.some((doc) => doc._id === id));
      expect(found).toHaveLength(1);
      for (const f of found) {
        flagged.push(f.reviewId);
        await d.local.put({
          _id: f.reviewId,
          type: 'review',
          schema: 1,
          tenant,
          store: 'east',
          brand: k.brand,
          terminal: k.code,
          terminal_type: k.type,
          device_id: d.device_id,
          created_at: new Date().toISOString(),
          order_id: f.order._id,
          reason: 'number_collision',
          detail: f.detail,
        });
      }
    }
    const later = orders.map((o) => o._id).sort()[1]!;
    expect(new Set(flagged)).toEqual(new Set([collisionReviewId({ _id: later })]));
    for (const d of devices) expect((await PouchDB.replicate(d.local, d.remote, ON_DEVICE.push)).doc_write_failures).toBe(0);

    const reviewsAt = async (side: 'store' | 'central') => {
      const res = await adminOf(side).request<{ rows: { doc: { type: string; reason: string; order_id: string; detail: string } }[] }>(
        'GET',
        `${east.ops}/_all_docs?include_docs=true&startkey=${enc('"review:"')}&endkey=${enc('"review:\ufff0"')}`,
      );
      return res.body.rows.map((r) => r.doc).filter((doc) => doc.reason === 'number_collision' && doc.order_id === later);
    };
    const atStore = await reviewsAt('store');
    expect(atStore).toHaveLength(1);
    expect(atStore[0]!.detail).toContain(orders[0]!._id);
    expect(atStore[0]!.detail).toContain(orders[1]!._id);
    await waitFor('the flag at central', async () => ((await reviewsAt('central')).length === 1 ? true : null));
    // Both orders are kept, whole: the number is never renamed.
    const byNumber = await adminOf('store').request<{ rows: { id: string }[] }>(
      'GET',
      `${east.ops}/_design/lapak/_view/orders_by_number?key=${enc('"K1-0300"')}&reduce=false`,
    );
    expect(byNumber.body.rows.map((r) => r.id).sort()).toEqual(orders.map((o) => o._id).sort());
    // Once the flag is on a device, it is not written again.
    await PouchDB.replicate(devices[0]!.remote, devices[0]!.local, ON_DEVICE.pull);
    const again = (await devices[0]!.local.allDocs({ include_docs: true })).rows.map((r) => r.doc as unknown as Order);
    expect(
      numberCollisions(
        again.filter((o) => o.type === 'order' && o.number === 'K1-0300'),
        (id) => again.some((d) => d._id === id),
      ),
    ).toEqual([]);
    for (const d of devices) await d.local.close();
  });

  it('scenario 3: a price HQ changed while a store was cut off; the order keeps its price and the review flag reaches central', async () => {
    const hq = await createHqUser(tenant);
    const product = {
      _id: 'product:es-teh',
      type: 'product',
      schema: 1,
      tenant,
      brand: 'AYAMGEPREK',
      category_id: 'category:minuman',
      name: 'Es Teh',
      price: 5000,
      modifier_groups: [],
      available: true,
      sort: 1,
      updated_at: new Date(Date.now() - 60_000).toISOString(),
    };
    expect((await hq.client.put(`${east.catalog}/${enc(product._id)}`, product)).status).toBe(201);
    const current = await waitFor('the product at central', () => centralDoc(east.catalog, product._id));
    const changedAt = new Date().toISOString();
    expect((await hq.client.put(`${east.catalog}/${enc(product._id)}`, { ...current, price: 6000, updated_at: changedAt })).status).toBe(
      201,
    );
    // The west kiosk had not heard of the change: it sells at the old price, after it.
    const k = west.terminals['KIOSK-GEPREK-01']!;
    const sold = order(spec(west, k), { number: 'K1-0002', created_at: new Date(Date.parse(changedAt) + 1000).toISOString() });
    sold.items = [{ product_id: product._id, name: 'Es Teh', unit_price: 5000, qty: 1, modifiers: [], line_total: 5000 }];
    Object.assign(sold, {
      subtotal: 5000,
      discount_total: 0,
      promotions: [],
      service_charge: 0,
      tax: 0,
      total: 5000,
      device_id: k.deviceId,
    });
    expect((await k.client.put(`${west.ops}/${enc(sold._id)}`, sold)).status).toBe(201);
    // Once the catalog reaches the store, the terminal that sold flags it (web/src/orders/price-review.ts does this on the device).
    const review = {
      _id: `review:${sold._id.slice(6)}`,
      type: 'review',
      schema: 1,
      tenant,
      store: 'west',
      brand: 'AYAMGEPREK',
      terminal: k.code,
      terminal_type: k.type,
      device_id: k.deviceId,
      created_at: new Date().toISOString(),
      order_id: sold._id,
      reason: 'price_override',
      detail: `Es Teh: charged 5000, catalog 6000 since ${changedAt}`,
    };
    await waitFor('the new price at the store', async () => {
      const res = await k.client.get(`${west.catalog}/${enc(product._id)}`);
      return res.body.price === 6000 ? true : null;
    });
    expect((await k.client.put(`${west.ops}/${enc(review._id)}`, review)).status).toBe(201);
    const atCentral = await waitFor('the flag at central', () => centralDoc(west.ops, review._id));
    expect(atCentral).toMatchObject({ reason: 'price_override', order_id: sold._id });
    expect(await waitFor('the order at central', () => centralDoc(west.ops, sold._id))).toMatchObject({ total: 5000 });
  });

  it('a hostile document arriving by replication is refused while the rest of the batch gets through', async () => {
    const k = east.terminals['KIOSK-GEPREK-01']!;
    const { local, remote } = replicaOf(east, k);
    const good = [1, 2, 3].map((i) => ({ ...order(spec(east, k), { number: `K1-01${i}0` }), device_id: k.deviceId }));
    const forged = { ...order(spec(east, k), { number: 'K1-0199' }), brand: 'NASGORENG', device_id: k.deviceId };
    const cheating = { ...order(spec(east, k), { number: 'K1-0198' }), total: 1, device_id: k.deviceId };
    await local.bulkDocs([good[0]!, forged, good[1]!, cheating, good[2]!]);
    const result = await PouchDB.replicate(local, remote, ON_DEVICE.push);
    expect(result.docs_written).toBe(3);
    expect(result.doc_write_failures).toBe(2);
    for (const g of good)
      expect(await waitFor(`${g.number} at central`, () => centralDoc(east.ops, g._id))).toMatchObject({ number: g.number });
    expect((await adminOf('store').request('GET', `${east.ops}/${enc(forged._id)}`)).status).toBe(404);
    expect((await adminOf('store').request('GET', `${east.ops}/${enc(cheating._id)}`)).status).toBe(404);
    // Replication goes on: a later valid order still arrives.
    const later = { ...order(spec(east, k), { number: 'K1-0200' }), device_id: k.deviceId };
    await local.put(later);
    expect((await PouchDB.replicate(local, remote, ON_DEVICE.push)).docs_written).toBe(1);
    await local.close();
  });
});
