// The compiled design documents, installed by provisioning, running on the real server:
// views answer, Mango indexes serve _find, and a re-deploy rewrites nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { Raw, enc } from '../couch/testing/http';
import { adminOf, servers, uniqueCode } from '../couch/testing/servers';
import { createHqUser, createStore, type TestStore } from '../couch/testing/tenants';
import { waitFor } from '../couch/testing/wait-for';
import { ensureDesignDocs } from '../scripts/lib/ensure';
import { StepLog } from '../scripts/lib/steps';
import { buildDesignDocs } from './build';
import { order, product } from './testing/fixtures';

let s: TestStore;
let orderDay = '';
beforeAll(async () => {
  s = await createStore(uniqueCode('dd'), 'mall');
  const k = s.terminals['KIOSK-GEPREK-01']!;
  for (const number of ['K1-0001', 'K1-0002']) {
    const doc = {
      ...order({ tenant: s.tenant, store: s.store, code: k.code, type: k.type, brand: k.brand }, { number }),
      device_id: k.deviceId,
    };
    orderDay = doc.created_at.slice(0, 10);
    expect((await k.client.put(`${s.ops}/${enc(doc._id)}`, doc)).status).toBe(201);
  }
}, 60_000);

describe('design documents on the server', () => {
  it('serves the views', async () => {
    const k = s.terminals['KASIR-GEPREK-01']!.client;
    const byNumber = await k.get(`${s.ops}/_design/lapak/_view/orders_by_number?reduce=false`);
    expect(byNumber.status).toBe(200);
    expect((byNumber.body as unknown as { rows: { key: string }[] }).rows.map((r) => r.key)).toEqual(['K1-0001', 'K1-0002']);
    const sales = await k.get(`${s.ops}/_design/lapak/_view/sales_by_day?group_level=2`);
    const rows = (sales.body as unknown as { rows: { key: unknown[]; value: { count: number; sum: number } }[] }).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key).toEqual([orderDay, 'AYAMGEPREK']);
    expect(rows[0]!.value.count).toBe(2);
  });

  it('answers _find with the Mango index', async () => {
    // Terminals make no Mango queries on the server (the gateway refuses them); HQ's reports and the admin do.
    const admin = new Raw(`${servers().store.gatewayUrl}/db`, servers().store.admin);
    const found = await admin.post(`${s.ops}/_find`, {
      selector: { type: 'order', created_at: { $gt: '2026-01-01' } },
      use_index: 'lapak-find',
      limit: 10,
    });
    expect(found.status).toBe(200);
    expect((found.body as unknown as { docs: unknown[] }).docs).toHaveLength(2);
  });

  it('filters the catalog a terminal replicates down to its own brand', async () => {
    const hq = await createHqUser(s.tenant);
    for (const p of [product(s.tenant), product(s.tenant, { _id: 'product:nasgor', brand: 'NASGORENG', name: 'Nasi Goreng' })])
      expect((await hq.client.put(`${s.catalog}/${enc(p._id)}`, p)).status).toBe(201);
    const kiosk = s.terminals['KIOSK-GEPREK-01']!.client;
    const ids = await waitFor('both products at the store', async () => {
      // _all_docs first: products arriving between the two reads must not leave the feed behind.
      const all = await kiosk.get(`${s.catalog}/_all_docs`);
      const res = await kiosk.get(`${s.catalog}/_changes?filter=lapak/for_brand&brand=AYAMGEPREK`);
      return (all.body as unknown as { rows: unknown[] }).rows.length >= 4
        ? (res.body as unknown as { results: { id: string }[] }).results.map((r) => r.id)
        : null;
    });
    expect(ids).toContain('product:geprek-original');
    expect(ids).not.toContain('product:nasgor');
  });

  it('leaves unchanged design documents alone on a re-deploy', async () => {
    const before = await adminOf('store').request<{ _rev: string }>('GET', `${s.ops}/_design/lapak`);
    const log = new StepLog(false);
    const ops = (await buildDesignDocs()).ops;
    await ensureDesignDocs(adminOf('store'), log, s.ops, ops);
    expect(log.steps.map((st) => st.status)).toEqual(ops.map(() => 'unchanged'));
    expect((await adminOf('store').request<{ _rev: string }>('GET', `${s.ops}/_design/lapak`)).body._rev).toBe(before.body._rev);
  });
});
