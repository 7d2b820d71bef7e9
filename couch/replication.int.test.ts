// Store <-> central replication as provisioning sets it up: operations flow up, the
// tenant's catalog flows down, continuously, through central's gateway.
import { beforeAll, describe, expect, it } from 'vitest';
import { order, product } from '../design-docs/testing/fixtures';
import { enc } from './testing/http';
import { adminOf, uniqueCode } from './testing/servers';
import { createHqUser, createStore, type TestStore } from './testing/tenants';
import { waitFor } from './testing/wait-for';

let s: TestStore;

beforeAll(async () => {
  s = await createStore(uniqueCode('rp'), 'mall');
}, 60_000);

async function at(server: 'store' | 'central', db: string, id: string) {
  const res = await adminOf(server).request<Record<string, unknown>>('GET', `${enc(db)}/${enc(id)}`);
  return res.status === 200 ? res.body : null;
}

describe('replication between store and central', () => {
  it('carries an order written at the store up to central, unchanged', async () => {
    const k = s.terminals['KIOSK-GEPREK-01']!;
    const doc = { ...order({ tenant: s.tenant, store: s.store, code: k.code, type: k.type, brand: k.brand }), device_id: k.deviceId };
    expect((await k.client.put(`${s.ops}/${enc(doc._id)}`, doc)).status).toBe(201);
    const central = await waitFor('the order at central', () => at('central', s.ops, doc._id));
    expect(central).toMatchObject({ total: doc.total, items: doc.items, terminal: 'KIOSK-GEPREK-01' });
  });

  it('carries the device bindings and the store registry up', async () => {
    const binding = await waitFor('the binding at central', () => at('central', s.directory, 'binding:KIOSK-GEPREK-01'));
    expect(binding.device_id).toBe(s.terminals['KIOSK-GEPREK-01']!.deviceId);
    expect(await waitFor('the store doc at central', () => at('central', s.directory, 'store'))).toMatchObject({ tenant: s.tenant });
  });

  it('carries an HQ catalog change down to the store', async () => {
    const hq = await createHqUser(s.tenant);
    const p = product(s.tenant, { _id: 'product:geprek-keju', name: 'Ayam Geprek Keju', price: 27000 });
    expect((await hq.client.put(`${s.catalog}/${enc(p._id)}`, p)).status).toBe(201);
    const atStore = await waitFor('the product at the store', () => at('store', s.catalog, p._id));
    expect(atStore).toMatchObject({ price: 27000 });
    const kioskView = await s.terminals['KIOSK-GEPREK-01']!.client.get(`${s.catalog}/${enc(p._id)}`);
    expect(kioskView.status).toBe(200);

    // An update of a document the store already has (PouchDB Server used to drop these).
    const current = (await hq.client.get(`${s.catalog}/${enc(p._id)}`)).body;
    expect((await hq.client.put(`${s.catalog}/${enc(p._id)}`, { ...current, price: 29000 })).status).toBe(201);
    await waitFor('the new price at the store', async () => ((await at('store', s.catalog, p._id))?.price === 29000 ? true : null));
  });

  it('carries an unassignment (a deleted binding) made at central down to the store', async () => {
    const hq = await createHqUser(s.tenant);
    const binding = await waitFor('the binding at central', () => at('central', s.directory, 'binding:KASIR-GEPREK-01'));
    const path = `${s.directory}/${enc('binding:KASIR-GEPREK-01')}?rev=${String(binding._rev)}`;
    // Only the unassign flow, as central's server admin, removes a binding (security rule 7).
    expect((await hq.client.del(path)).status).toBe(403);
    expect((await adminOf('central').request('DELETE', path)).status).toBe(200);
    await waitFor('the binding gone at the store', async () =>
      (await at('store', s.directory, 'binding:KASIR-GEPREK-01')) === null ? true : null,
    );
  });
});
