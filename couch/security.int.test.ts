// The hostile-client suite: raw HTTP through the store and central gateways, no app code,
// trying to break every rule of docs/security.md. Each refusal is checked for its status,
// and the data is checked to be unchanged afterwards.
import { beforeAll, describe, expect, it } from 'vitest';
import { userDocId } from '../design-docs/lib/names';
import { order, payment, product, ticketEvent, voidDoc, type TerminalSpec } from '../design-docs/testing/fixtures';
import { unassignTerminal } from '../scripts/lib/unassign';
import { Raw, enc, type RawResponse } from './testing/http';
import { adminOf, servers, uniqueCode } from './testing/servers';
import { centralGateway, createHqUser, createStore, storeGateway, type PairedTerminal, type TestStore } from './testing/tenants';

let a1: TestStore; // tenant A, store 1
let a2: TestStore; // tenant A, store 2
let b1: TestStore; // tenant B, store 1
let hqA: Raw;
let hqB: Raw;

function spec(s: TestStore, t: PairedTerminal): TerminalSpec {
  return { tenant: s.tenant, store: s.store, code: t.code, type: t.type, brand: t.brand };
}

async function writeOrder(s: TestStore, t: PairedTerminal) {
  const doc = { ...order(spec(s, t)), device_id: t.deviceId };
  const res = await t.client.put(`${s.ops}/${enc(doc._id)}`, doc);
  expect(res.status).toBe(201);
  return { ...doc, _rev: res.body.rev as string };
}

/** The stored state of a database, to prove a refused request changed nothing. */
async function snapshot(server: 'store' | 'central', db: string): Promise<string> {
  const res = await adminOf(server).request<{ rows: unknown[] }>('GET', `${enc(db)}/_all_docs?include_docs=true`);
  return JSON.stringify(res.body.rows);
}

/**
 * A refused _bulk_docs: CouchDB answers 201 with an error for each document when validation
 * refuses them, and refuses the request as a whole (403) when the caller may not use the
 * database at all.
 */
function refusedInBulk(res: RawResponse, reason?: RegExp): void {
  if (res.status === 403) return;
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  for (const row of res.body) {
    expect(row.error, JSON.stringify(row)).toMatch(/^(forbidden|unauthorized)$/);
    if (reason) expect(String(row.reason)).toMatch(reason);
  }
}

function refused(res: RawResponse, status: 401 | 403, reason?: RegExp): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  if (reason) expect(String(res.body.reason)).toMatch(reason);
}

beforeAll(async () => {
  const ta = uniqueCode('ta');
  const tb = uniqueCode('tb');
  [a1, a2, b1] = await Promise.all([createStore(ta, 's1'), createStore(ta, 's2'), createStore(tb, 's1')]);
  hqA = (await createHqUser(ta)).client;
  hqB = (await createHqUser(tb)).client;
}, 120_000);

const kiosk = (s: TestStore) => s.terminals['KIOSK-GEPREK-01']!;
const cashier = (s: TestStore) => s.terminals['KASIR-GEPREK-01']!;
const kitchen = (s: TestStore) => s.terminals['KITCHEN-GEPREK']!;

describe('rule 1: a terminal reaches only its own store; a tenant never reads another tenant', () => {
  it('refuses cross-store and cross-tenant reads at the store server', async () => {
    const k = kiosk(a1).client;
    refused(await k.get(a2.ops), 403);
    refused(await k.get(`${a2.ops}/_all_docs`), 403);
    refused(await k.get(`${a2.ops}/_changes`), 403);
    refused(await k.get(b1.ops), 403);
    refused(await k.get(b1.catalog), 403);
    refused(await k.get('_all_dbs'), 403);
    refused(await storeGateway().get(a1.ops), 401);
    expect((await k.get(a1.ops)).status).toBe(200);
    expect((await k.get(a1.catalog)).status).toBe(200);
  });

  it('refuses cross-store and cross-tenant writes, single and bulk', async () => {
    const before = await snapshot('store', a2.ops);
    const forged = order({ tenant: a2.tenant, store: a2.store, code: 'KIOSK-GEPREK-01', type: 'kiosk', brand: 'AYAMGEPREK' });
    refused(await kiosk(a1).client.put(`${a2.ops}/${enc(forged._id)}`, forged), 403);
    refused(await kiosk(a1).client.post(`${a2.ops}/_bulk_docs`, { docs: [forged] }), 403);
    refused(await kiosk(b1).client.post(`${a2.ops}/_bulk_docs`, { docs: [forged], new_edits: false }), 403);
    refused(await storeGateway().post(`${a2.ops}/_bulk_docs`, { docs: [forged] }), 401);
    expect(await snapshot('store', a2.ops)).toBe(before);
  });

  it('keeps HQ users to their own tenant at central (raw HTTP)', async () => {
    await writeOrder(a1, kiosk(a1));
    refused(await hqB.get(a1.ops), 403);
    refused(await hqB.get(`${a1.ops}/_all_docs`), 403);
    refused(await hqB.get(a1.catalog), 403);
    refused(await hqB.get(a1.directory), 403);
    refused(await hqA.get(b1.ops), 403);
    refused(await centralGateway().get(a1.ops), 401);
    expect((await hqA.get(a1.ops)).status).toBe(200);
  });
});

describe('rule 2: a terminal writes orders only as itself', () => {
  it('refuses orders that claim another terminal, brand or store, in every write path', async () => {
    const k = kiosk(a1);
    const before = await snapshot('store', a1.ops);
    const asCashier = { ...order(spec(a1, k)), terminal: 'KASIR-GEPREK-01' };
    refused(await k.client.put(`${a1.ops}/${enc(asCashier._id)}`, asCashier), 403, /only write as itself/);
    const otherBrand = { ...order(spec(a1, k)), brand: 'NASGORENG' };
    refused(await k.client.put(`${a1.ops}/${enc(otherBrand._id)}`, otherBrand), 403, /only write as itself/);
    // POST /{db} is no route of Lapak's apps: the gateway refuses it before the server sees it.
    refused(await k.client.post(a1.ops, otherBrand), 403);
    const otherStore = order({ ...spec(a1, k), store: a2.store });
    refused(await k.client.put(`${a1.ops}/${enc(otherStore._id)}`, otherStore), 403);
    refusedInBulk(await k.client.post(`${a1.ops}/_bulk_docs`, { docs: [asCashier] }), /only write as itself/);
    refusedInBulk(
      await k.client.post(`${a1.ops}/_bulk_docs`, {
        docs: [{ ...otherBrand, _rev: '1-0123456789abcdef0123456789abcdef' }],
        new_edits: false,
      }),
      /only write as itself/,
    );
    expect(await snapshot('store', a1.ops)).toBe(before);
  });

  it('accepts an order written as itself', async () => {
    const doc = await writeOrder(a1, kiosk(a1));
    const stored = await adminOf('store').request<Record<string, unknown>>('GET', `${a1.ops}/${enc(doc._id)}`);
    expect(stored.body).toMatchObject({ terminal: 'KIOSK-GEPREK-01', brand: 'AYAMGEPREK', store: a1.store, total: doc.total });
  });
});

describe('rule 3: a bound terminal cannot be used from a second device', () => {
  it('refuses the spent pairing code and a second binding', async () => {
    const code = a1.codes.find((c) => c.terminal === 'KIOSK-GEPREK-01')!;
    await expect(storeGateway().login(kiosk(a1).userName, code.code)).rejects.toThrow(/HTTP 401/);
    refused(
      await storeGateway()
        .as({ username: kiosk(a1).userName, password: code.code })
        .get(a1.ops),
      401,
    );
    const before = await snapshot('store', a1.directory);
    const stolen = await kiosk(a1).client.get(`${a1.directory}/${enc('binding:KIOSK-GEPREK-01')}`);
    refused(
      await kiosk(a1).client.put(`${a1.directory}/${enc('binding:KIOSK-GEPREK-01')}`, { ...stolen.body, device_id: 'dev_ffffffffffff' }),
      403,
      /already bound to device/,
    );
    refused(
      await cashier(a1).client.put(`${a1.directory}/${enc('binding:KIOSK-GEPREK-01')}`, { ...stolen.body, device_id: 'dev_ffffffffffff' }),
      403,
    );
    expect(await snapshot('store', a1.directory)).toBe(before);
  });
});

describe('rule 4: orders are immutable and undeletable; corrections are new documents', () => {
  it('refuses edits and deletes of an order by any terminal, in every write path', async () => {
    const o = await writeOrder(a1, kiosk(a1));
    const before = await snapshot('store', a1.ops);
    const cheaper = {
      ...o,
      items: o.items.map((i) => ({ ...i, unit_price: 1, line_total: i.qty * (1 + i.modifiers.reduce((s, m) => s + m.price, 0)) })),
    };
    refused(await kiosk(a1).client.put(`${a1.ops}/${enc(o._id)}`, cheaper), 403, /immutable/);
    refused(await cashier(a1).client.put(`${a1.ops}/${enc(o._id)}`, { ...o, total: 0 }), 403, /immutable/);
    refused(await cashier(a1).client.del(`${a1.ops}/${enc(o._id)}?rev=${o._rev}`), 403, /void or refund/);
    refused(
      await storeGateway()
        .as({ username: a1.storeAdmin.name, password: a1.storeAdmin.password })
        .del(`${a1.ops}/${enc(o._id)}?rev=${o._rev}`),
      403,
    );
    refusedInBulk(
      await cashier(a1).client.post(`${a1.ops}/_bulk_docs`, { docs: [{ _id: o._id, _rev: o._rev, _deleted: true }] }),
      /void or refund/,
    );
    expect(await snapshot('store', a1.ops)).toBe(before);
  });

  it('takes a void with a reason from the cashier, and refuses one without', async () => {
    const o = await writeOrder(a1, kiosk(a1));
    const c = cashier(a1);
    const noReason = { ...voidDoc(spec(a1, c), o._id, ''), device_id: c.deviceId };
    refused(await c.client.put(`${a1.ops}/${enc(noReason._id)}`, noReason), 403, /reason/);
    const v = { ...voidDoc(spec(a1, c), o._id), device_id: c.deviceId };
    expect((await c.client.put(`${a1.ops}/${enc(v._id)}`, v)).status).toBe(201);
    const byKiosk = { ...voidDoc(spec(a1, kiosk(a1)), o._id), device_id: kiosk(a1).deviceId };
    refused(await kiosk(a1).client.put(`${a1.ops}/${enc(byKiosk._id)}`, byKiosk), 403);
  });
});

describe('rule 5: kitchen status and money belong to the right roles', () => {
  it('refuses a kiosk marking ready and a kitchen touching money', async () => {
    const o = await writeOrder(a1, kiosk(a1));
    const before = await snapshot('store', a1.ops);
    const kioskReady = ticketEvent(spec(a1, kiosk(a1)), o._id, 'ready');
    refused(
      await kiosk(a1).client.put(`${a1.ops}/${enc(kioskReady._id)}`, { ...kioskReady, device_id: kiosk(a1).deviceId }),
      403,
      /kiosk cannot change kitchen status/,
    );
    const kitchenPay = payment(spec(a1, kitchen(a1)), o._id, { amount: o.total, tendered: o.total, change: 0 });
    refused(
      await kitchen(a1).client.put(`${a1.ops}/${enc(kitchenPay._id)}`, { ...kitchenPay, device_id: kitchen(a1).deviceId }),
      403,
      /cannot take payments: a cashier does/,
    );
    const kitchenOrder = order({ ...spec(a1, kitchen(a1)) }, { channel: 'kiosk' });
    refused(await kitchen(a1).client.put(`${a1.ops}/${enc(kitchenOrder._id)}`, kitchenOrder), 403);
    const cashierReady = ticketEvent(spec(a1, cashier(a1)), o._id, 'ready');
    refused(await cashier(a1).client.put(`${a1.ops}/${enc(cashierReady._id)}`, { ...cashierReady, device_id: cashier(a1).deviceId }), 403);
    expect(await snapshot('store', a1.ops)).toBe(before);
    const ready = ticketEvent(spec(a1, kitchen(a1)), o._id, 'ready');
    expect((await kitchen(a1).client.put(`${a1.ops}/${enc(ready._id)}`, { ...ready, device_id: kitchen(a1).deviceId })).status).toBe(201);
  });
});

describe('rule 6: terminals cannot write the catalog, _security, design documents or their own roles', () => {
  it('refuses catalog writes by terminals and by another tenant’s HQ', async () => {
    const before = await snapshot('store', a1.catalog);
    refused(
      await kiosk(a1).client.put(`${a1.catalog}/product:evil`, product(a1.tenant, { _id: 'product:evil', price: 1 })),
      403,
      /Only HQ/,
    );
    refusedInBulk(
      await cashier(a1).client.post(`${a1.catalog}/_bulk_docs`, { docs: [product(a1.tenant, { _id: 'product:evil2' })] }),
      /Only HQ/,
    );
    expect(await snapshot('store', a1.catalog)).toBe(before);
    const centralBefore = await snapshot('central', a1.catalog);
    refused(await hqB.put(`${a1.catalog}/product:evil`, product(a1.tenant, { _id: 'product:evil' })), 403);
    refused(await hqB.put(`${b1.catalog}/product:evil`, product(a1.tenant, { _id: 'product:evil' })), 403, /Only HQ of tenant/);
    expect(await snapshot('central', a1.catalog)).toBe(centralBefore);
    expect((await hqA.put(`${a1.catalog}/product:ok`, product(a1.tenant, { _id: 'product:ok' }))).status).toBe(201);
  });

  it('refuses design documents, _security and database management from terminals and HQ', async () => {
    const k = kiosk(a1).client;
    const ddocBefore = await adminOf('store').request('GET', `${a1.ops}/_design/lapak`);
    refused(await k.put(`${a1.ops}/_design/evil`, { validate_doc_update: 'function(){}' }), 403);
    refused(await k.put(`${a1.ops}/_design/lapak`, { ...ddocBefore.body, validate_doc_update: 'function(){}' }), 403);
    refusedInBulk(await k.post(`${a1.ops}/_bulk_docs`, { docs: [{ _id: '_design/evil', views: {} }] }));
    refused(await k.put(`${a1.ops}/_security`, { admins: { names: [], roles: [] }, members: { names: [], roles: [] } }), 403);
    refused(await hqA.put(`${a1.ops}/_security`, { admins: { names: [], roles: [] }, members: { names: [], roles: [] } }), 403);
    refused(await k.put('lapak_evil_db', {}), 403);
    refused(await storeGateway().put('lapak_evil_db', {}), 401);
    refused(await k.del(a1.ops), 403);
    expect((await adminOf('store').request('GET', `${a1.ops}/_design/lapak`)).body).toEqual(ddocBefore.body);
    expect((await adminOf('store').request('GET', `${a1.ops}/_design/evil`)).status).toBe(404);
    expect((await adminOf('store').request('GET', 'lapak_evil_db')).status).toBe(404);
    expect((await storeGateway().get('')).status).toBe(200); // the server survived the anonymous PUT
  });

  it('refuses role escalation and new accounts through _users', async () => {
    const k = kiosk(a1);
    const id = enc(userDocId(k.userName));
    const own = await k.client.get(`_users/${id}`);
    refused(await k.client.put(`_users/${id}`, { ...own.body, roles: [...(own.body.roles as string[]), `hq:${a1.tenant}`] }), 403);
    refused(await k.client.put(`_users/${id}`, { ...own.body, roles: [...(own.body.roles as string[]), '_admin'] }), 403);
    const other = enc(userDocId(cashier(a1).userName));
    refused(await k.client.get(`_users/${other}`), 403);
    refused(await k.client.get('_users/_all_docs'), 403);
    refused(
      await k.client.put(`_users/${other}`, {
        _id: userDocId(cashier(a1).userName),
        name: cashier(a1).userName,
        type: 'user',
        roles: [],
        password: 'x',
      }),
      403,
    );
    const signup = await storeGateway().put(`_users/${enc('org.couchdb.user:mallory')}`, {
      _id: 'org.couchdb.user:mallory',
      name: 'mallory',
      type: 'user',
      roles: [],
      password: 'x',
    });
    expect([401, 403]).toContain(signup.status);
    const asHq = await storeGateway().put(`_users/${enc('org.couchdb.user:mallory2')}`, {
      _id: 'org.couchdb.user:mallory2',
      name: 'mallory2',
      type: 'user',
      roles: [`hq:${a1.tenant}`],
      password: 'x',
    });
    expect([401, 403]).toContain(asHq.status);
    expect((await adminOf('store').request('GET', `_users/${enc('org.couchdb.user:mallory')}`)).status).toBe(404);
    expect((await adminOf('store').request<{ roles: string[] }>('GET', `_users/${id}`)).body.roles).toEqual(own.body.roles);
  });
});

describe('rule 7: only store or HQ admins unassign, and the old device is then locked out', () => {
  it('refuses a terminal unassigning another, then locks the old device out after an admin unassigns', async () => {
    const victim = kiosk(b1);
    const binding = await victim.client.get(`${b1.directory}/${enc('binding:KIOSK-GEPREK-01')}`);
    refused(
      await cashier(b1).client.del(`${b1.directory}/${enc('binding:KIOSK-GEPREK-01')}?rev=${binding.body._rev}`),
      403,
      /changes only through unassigning/,
    );
    refused(await victim.client.del(`${b1.directory}/${enc('binding:KIOSK-GEPREK-01')}?rev=${binding.body._rev}`), 403);
    const cookieBefore = victim.client;
    expect((await cookieBefore.get(b1.ops)).status).toBe(200);

    const result = await unassignTerminal(adminOf('store'), b1.tenant, b1.store, 'KIOSK-GEPREK-01', servers().store.gatewayUrl);
    expect(result.previousDevice).toBe(victim.deviceId);
    const before = await snapshot('store', b1.ops);
    const late = order(spec(b1, victim));
    refused(await cookieBefore.put(`${b1.ops}/${enc(late._id)}`, late), 401);
    refused(
      await storeGateway()
        .as({ username: victim.userName, password: victim.secret })
        .put(`${b1.ops}/${enc(late._id)}`, late),
      401,
    );
    expect(await snapshot('store', b1.ops)).toBe(before);
    expect((await adminOf('store').request('GET', `${b1.directory}/${enc('binding:KIOSK-GEPREK-01')}`)).status).toBe(404);
    // The fresh code pairs a replacement device.
    const replacement = await storeGateway().login(victim.userName, result.code);
    expect((await replacement.get(b1.ops)).status).toBe(200);
  });

  it('refuses a store admin, and HQ of another tenant, removing a binding through the database: only the unassign flow does', async () => {
    const t = cashier(b1);
    const path = `${b1.directory}/${enc('binding:KASIR-GEPREK-01')}`;
    const binding = await t.client.get(path);
    const before = await snapshot('store', b1.directory);
    const admin = storeGateway().as({ username: b1.storeAdmin.name, password: b1.storeAdmin.password });
    const otherAdmin = storeGateway().as({ username: a1.storeAdmin.name, password: a1.storeAdmin.password });
    refused(await otherAdmin.del(`${path}?rev=${binding.body._rev}`), 403);
    refused(await admin.del(`${path}?rev=${binding.body._rev}`), 403, /changes only through unassigning/);
    refused(await admin.put(path, { ...binding.body, device_id: 'dev_ffffffffffff' }), 403, /changes only through unassigning/);
    expect(await snapshot('store', b1.directory)).toBe(before);
    expect((await adminOf('store').request('DELETE', `${path}?rev=${binding.body._rev}`)).status).toBe(200);
  });
});
