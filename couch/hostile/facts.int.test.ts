// Hostile clients against the facts of a store (orders, payments, voids, refunds, ticket
// events) and its device bindings: raw HTTP through the store and central gateways, no app
// code. Each attack is checked for its refusal, for the data being unchanged, and for both
// servers still answering. See docs/security.md, "Facts agree with their order".
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  binding,
  cashMovement,
  connectorPayment,
  order,
  payment,
  paymentRequest,
  paymentUpdate,
  refund,
  shiftClose,
  shiftOpen,
  staff,
  ticketEvent,
  voidDoc,
  type TerminalSpec,
} from '../../design-docs/testing/fixtures';
import { Raw, enc, type RawResponse } from '../testing/http';
import { adminOf, uniqueCode } from '../testing/servers';
import { centralGateway, createHqUser, createStore, storeGateway, type PairedTerminal, type TestStore } from '../testing/tenants';
import { waitFor } from '../testing/wait-for';

let s1: TestStore; // attacked at the store server
let s2: TestStore; // attacked at central, through its own replication account
let hq: Raw;
let relay: Raw; // s2's replication account at central, taken over as a compromised store server would

function spec(s: TestStore, t: PairedTerminal): TerminalSpec {
  return { tenant: s.tenant, store: s.store, code: t.code, type: t.type, brand: t.brand };
}

const kioskGeprek = (s: TestStore) => s.terminals['KIOSK-GEPREK-01']!;
const kioskNasgor = (s: TestStore) => s.terminals['KIOSK-NASGR-01']!;
const cashierGeprek = (s: TestStore) => s.terminals['KASIR-GEPREK-01']!;
const kitchenGeprek = (s: TestStore) => s.terminals['KITCHEN-GEPREK']!;

/** A fact as the terminal itself would write it (its device id), about `orderDoc`. */
function as<T extends { device_id: string }>(t: PairedTerminal, doc: T): T {
  return { ...doc, device_id: t.deviceId };
}

async function writeOrder(s: TestStore, t: PairedTerminal) {
  const doc = as(t, order(spec(s, t)));
  const res = await t.client.put(`${s.ops}/${enc(doc._id)}`, doc);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ...doc, _rev: res.body.rev as string };
}

/** The stored state of a whole database, to prove a refused request changed nothing. */
async function snapshot(server: 'store' | 'central', db: string): Promise<string> {
  const res = await adminOf(server).request<{ rows: unknown[] }>('GET', `${enc(db)}/_all_docs?include_docs=true`);
  return JSON.stringify(res.body.rows);
}

/** The stored state of some documents (at central, where replication may still be filling the rest). */
async function snapshotOf(server: 'store' | 'central', db: string, ids: string[]): Promise<string> {
  const res = await adminOf(server).request<{ rows: unknown[] }>('POST', `${enc(db)}/_all_docs?include_docs=true`, { keys: ids });
  return JSON.stringify(res.body.rows);
}

function refused(res: RawResponse, reason?: RegExp): void {
  expect(res.status, JSON.stringify(res.body)).toBe(403);
  if (reason) expect(String(res.body.reason)).toMatch(reason);
}

/** A refused _bulk_docs: 201 with a forbidden row per document, as CouchDB answers when validation refuses them. */
function refusedInBulk(res: RawResponse, reason?: RegExp): void {
  if (res.status === 403) return;
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  for (const row of res.body) {
    expect(row.error, JSON.stringify(row)).toBe('forbidden');
    if (reason) expect(String(row.reason)).toMatch(reason);
  }
}

/** The store's replication account at central, as the store server holds it in its replication document. */
async function replicationCredentials(tenant: string, store: string): Promise<{ username: string; password: string }> {
  const job = await adminOf('store').request<{ target: unknown }>('GET', `_replicator/${enc(`lapak_${tenant}_${store}_ops_up`)}`);
  const target = job.body.target as string | { url: string; auth?: { basic?: { username: string; password: string } } };
  if (typeof target === 'string') {
    const u = new URL(target);
    return { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
  }
  if (target?.auth?.basic) return target.auth.basic;
  throw new Error(`no credentials in the replication document: ${JSON.stringify(job.body).slice(0, 200)}`);
}

beforeAll(async () => {
  const tenant = uniqueCode('tf');
  [s1, s2] = await Promise.all([createStore(tenant, 's1'), createStore(tenant, 's2')]);
  hq = (await createHqUser(tenant)).client;
  // Use s2's replication account as a compromised store server would: its credentials are in the store server's _replicator.
  relay = centralGateway().as(await replicationCredentials(tenant, 's2'));
  // The account is usable once central answers it (CouchDB's auth cache may lag behind provisioning).
  await waitFor('the replication account to log in at central', async () => ((await relay.get(s2.ops)).status === 200 ? true : null));
}, 180_000);

afterEach(async () => {
  // Whatever was sent, both servers still answer.
  expect((await storeGateway().get('')).status).toBe(200);
  expect((await centralGateway().get('')).status).toBe(200);
});

describe('facts agree with their order: a terminal acts on its own brand’s orders only', () => {
  it('refuses a kiosk that confirms a payment itself, in any method or posing as the payment connector', async () => {
    const k = kioskGeprek(s1);
    const o = await writeOrder(s1, k);
    const before = await snapshot('store', s1.ops);
    const own = { order_total: o.total, amount: o.total };
    for (const method of ['qris', 'card', 'cash'] as const) {
      const p = as(k, payment(spec(s1, k), o._id, { ...own, method, reference: 'BERHASIL', tendered: o.total, change: 0 }));
      if (method !== 'cash') {
        delete p.tendered;
        delete p.change;
      }
      refused(await k.client.put(`${s1.ops}/${enc(p._id)}`, p), /A kiosk cannot confirm a payment/);
    }
    const request = as(k, paymentRequest(spec(s1, k), o._id, own));
    const posing = [connectorPayment(request), paymentUpdate(request, 'pending')];
    for (const d of posing) refused(await k.client.put(`${s1.ops}/${enc(d._id)}`, d), /writes as itself/);
    refusedInBulk(
      await k.client.post(`${s1.ops}/_bulk_docs`, {
        docs: posing.map((d) => ({ ...d, _rev: '1-0123456789abcdef0123456789abcdef' })),
        new_edits: false,
      }),
      /writes as itself/,
    );
    expect(await snapshot('store', s1.ops)).toBe(before);
    // What a kiosk may write is the request; it pays nothing.
    expect((await k.client.put(`${s1.ops}/${enc(request._id)}`, request)).status).toBe(201);
  });

  it('refuses a payment request by another brand’s kiosk for an order, honest or posing as the order’s brand', async () => {
    const o = await writeOrder(s1, kioskGeprek(s1));
    const k = kioskNasgor(s1);
    const before = await snapshot('store', s1.ops);
    const honest = as(k, paymentRequest(spec(s1, k), o._id, { order_total: o.total, amount: o.total, order_brand: o.brand }));
    refused(await k.client.put(`${s1.ops}/${enc(honest._id)}`, honest), /can act only on orders of brand NASGORENG/);
    const posing = { ...honest, brand: o.brand };
    refused(await k.client.put(`${s1.ops}/${enc(posing._id)}`, posing), /only write as itself/);
    refusedInBulk(
      await k.client.post(`${s1.ops}/_bulk_docs`, { docs: [{ ...honest, _rev: '1-0123456789abcdef0123456789abcdef' }], new_edits: false }),
      /can act only on orders of brand/,
    );
    expect(await snapshot('store', s1.ops)).toBe(before);
  });

  it('refuses a cross-brand void, and a kitchen marking another brand’s ticket ready', async () => {
    const o = await writeOrder(s1, kioskNasgor(s1));
    const before = await snapshot('store', s1.ops);
    const c = cashierGeprek(s1);
    const v = as(c, { ...voidDoc(spec(s1, c), o._id), order_brand: o.brand });
    refused(await c.client.put(`${s1.ops}/${enc(v._id)}`, v), /can act only on orders of brand AYAMGEPREK/);
    const kt = kitchenGeprek(s1);
    const ready = as(kt, { ...ticketEvent(spec(s1, kt), o._id, 'ready'), order_brand: o.brand });
    refused(await kt.client.put(`${s1.ops}/${enc(ready._id)}`, ready), /can act only on orders of brand AYAMGEPREK/);
    const otherStore = as(kt, { ...ticketEvent(spec(s1, kt), o._id, 'ready'), order_store: s2.store });
    refused(await kt.client.put(`${s1.ops}/${enc(otherStore._id)}`, otherStore), /order_store must be the store of the order/);
    expect(await snapshot('store', s1.ops)).toBe(before);
  });

  it('refuses a refund of Rp 1.000.000.000 on a Rp 50.000 order, and one above what was paid', async () => {
    const o = await writeOrder(s1, kioskGeprek(s1));
    const c = cashierGeprek(s1);
    const before = await snapshot('store', s1.ops);
    const huge = as(c, refund(spec(s1, c), o._id, { order_total: 50_000, paid: 50_000, amount: 1_000_000_000 }));
    refused(await c.client.put(`${s1.ops}/${enc(huge._id)}`, huge), /amount must be at most 100000000/);
    const above = as(c, refund(spec(s1, c), o._id, { order_total: 50_000, paid: 50_000, amount: 50_001 }));
    refused(await c.client.put(`${s1.ops}/${enc(above._id)}`, above), /must not exceed what was paid/);
    const overpaid = as(c, payment(spec(s1, c), o._id, { order_total: o.total, amount: o.total + 1, tendered: o.total + 1, change: 0 }));
    refused(await c.client.put(`${s1.ops}/${enc(overpaid._id)}`, overpaid), /must not exceed the order's total/);
    expect(await snapshot('store', s1.ops)).toBe(before);
    const fair = as(c, refund(spec(s1, c), o._id, { order_total: o.total, paid: o.total, amount: 8_000 }));
    expect((await c.client.put(`${s1.ops}/${enc(fair._id)}`, fair)).status).toBe(201);
  });
});

describe('bounds: times, prices and sizes', () => {
  it('refuses a ticket event dated 2099, an order at unit price 0, and a 10 MB order', async () => {
    const o = await writeOrder(s1, kioskGeprek(s1));
    const kt = kitchenGeprek(s1);
    const k = kioskGeprek(s1);
    const before = await snapshot('store', s1.ops);
    const future = as(kt, { ...ticketEvent(spec(s1, kt), o._id, 'ready'), created_at: '2099-01-01T00:00:00.000Z' });
    refused(await kt.client.put(`${s1.ops}/${enc(future._id)}`, future), /is in the future/);
    const free = as(k, order(spec(s1, k)));
    free.items = [{ ...free.items[0]!, unit_price: 0, modifiers: [], line_total: 0 }];
    refused(await k.client.put(`${s1.ops}/${enc(free._id)}`, free), /unit_price must be at least 1/);
    const big = as(k, order(spec(s1, k), { customer_name: 'x'.repeat(10 * 1024 * 1024) }));
    const res = await k.client.put(`${s1.ops}/${enc(big._id)}`, big);
    // The gateway may refuse the body by its size (413) before validate refuses the document (403).
    expect([403, 413], JSON.stringify(res.body).slice(0, 300)).toContain(res.status);
    expect(await snapshot('store', s1.ops)).toBe(before);
  });

  it('refuses a binding with a 1 MB device object', async () => {
    const k = kioskGeprek(s1);
    const path = `${s1.directory}/${enc('binding:KIOSK-GEPREK-01')}`;
    const current = await k.client.get(path);
    const before = await snapshot('store', s1.directory);
    const res = await k.client.put(path, { ...current.body, device: { hostname: 'x'.repeat(1024 * 1024) } });
    expect([403, 413], JSON.stringify(res.body).slice(0, 300)).toContain(res.status);
    refused(await k.client.put(path, { ...current.body, device: { hostname: 'PC', payload: 'x'.repeat(300) } }), /not a device field/);
    expect(await snapshot('store', s1.directory)).toBe(before);
  });
});

describe('administrators do not write a terminal’s facts', () => {
  it('refuses HQ at central and the store manager at the store writing orders and corrections as a terminal', async () => {
    const o = await writeOrder(s1, kioskGeprek(s1));
    const k = kioskGeprek(s1);
    const c = cashierGeprek(s1);
    const manager = storeGateway().as({ username: s1.storeAdmin.name, password: s1.storeAdmin.password });
    const facts = [as(k, order(spec(s1, k))), as(c, voidDoc(spec(s1, c), o._id)), as(c, refund(spec(s1, c), o._id))];
    const ids = facts.map((f) => f._id);
    const beforeStore = await snapshot('store', s1.ops);
    const beforeCentral = await snapshotOf('central', s1.ops, ids);
    for (const f of facts) {
      refused(await manager.put(`${s1.ops}/${enc(f._id)}`, f), /administrators do not write a terminal's facts/);
      refused(await hq.put(`${s1.ops}/${enc(f._id)}`, f), /administrators do not write a terminal's facts/);
    }
    refusedInBulk(await hq.post(`${s1.ops}/_bulk_docs`, { docs: facts }), /administrators do not write/);
    expect(await snapshot('store', s1.ops)).toBe(beforeStore);
    expect(await snapshotOf('central', s1.ops, ids)).toBe(beforeCentral);
  });
});

describe('central checks what a store’s replication account carries by the same rules', () => {
  it('accepts a well-formed fact of its own store, and refuses what no terminal could have written', async () => {
    const k = spec(s2, kioskGeprek(s2));
    const kn = spec(s2, kioskNasgor(s2));
    const c = spec(s2, cashierGeprek(s2));
    const kt = spec(s2, kitchenGeprek(s2));
    const o = order(k);
    expect((await relay.put(`${s2.ops}/${enc(o._id)}`, o)).status).toBe(201);
    const qris = { method: 'qris' as const, tendered: undefined, change: undefined, reference: 'QR-1' };
    const forged = [
      { ...payment(kn, o._id, qris), order_brand: o.brand }, // another brand's kiosk paying
      { ...voidDoc({ ...c, brand: 'NASGORENG', code: 'KASIR-NASGR-01' }, o._id), order_brand: o.brand }, // cross-brand void
      refund(c, o._id, { amount: 1_000_000_000 }),
      refund(c, o._id, { order_total: 50_000, paid: 50_000, amount: 60_000 }),
      { ...ticketEvent({ ...kt, brand: 'NASGORENG', code: 'KITCHEN-NASGR' }, o._id, 'ready'), order_brand: o.brand },
      { ...ticketEvent(kt, o._id, 'ready'), created_at: '2099-01-01T00:00:00.000Z' },
      ticketEvent(k, o._id, 'ready'), // a kiosk marking ready
      payment(kt, o._id), // a kitchen taking money
      payment(k, o._id), // a kiosk taking cash
      { ...payment(k, o._id), method: 'qris', tendered: undefined, change: undefined, reference: 'QR-1' }, // a kiosk confirming its own QRIS
      { ...connectorPayment(paymentRequest(k, o._id)), method: 'cash' }, // the connector never takes cash
      order(kt, { channel: 'kiosk' }), // a kitchen taking orders
    ].map((d) => JSON.parse(JSON.stringify(d)) as { _id: string });
    const ids = forged.map((d) => d._id);
    const before = await snapshotOf('central', s2.ops, [o._id, ...ids]);
    for (const d of forged) refused(await relay.put(`${s2.ops}/${enc(d._id)}`, d));
    // As replication sends them.
    refusedInBulk(
      await relay.post(`${s2.ops}/_bulk_docs`, {
        docs: forged.map((d) => ({ ...d, _rev: '1-0123456789abcdef0123456789abcdef' })),
        new_edits: false,
      }),
    );
    expect(await snapshotOf('central', s2.ops, [o._id, ...ids])).toBe(before);
  });

  it('keeps facts immutable at central, and the account to its own store', async () => {
    const k = spec(s2, kioskGeprek(s2));
    const o = order(k);
    const put = await relay.put(`${s2.ops}/${enc(o._id)}`, o);
    expect(put.status).toBe(201);
    const stored = { ...o, _rev: put.body.rev as string };
    const other = order(spec(s1, kioskGeprek(s1)));
    const before = await snapshotOf('central', s2.ops, [o._id]);
    const beforeOther = await snapshotOf('central', s1.ops, [other._id]);
    refused(await relay.put(`${s2.ops}/${enc(o._id)}`, { ...stored, customer_name: 'Budi' }), /immutable/);
    refused(await relay.del(`${s2.ops}/${enc(o._id)}?rev=${stored._rev}`), /cannot be deleted/);
    const foreign = await relay.put(`${s1.ops}/${enc(other._id)}`, other);
    expect([401, 403]).toContain(foreign.status);
    expect(await snapshotOf('central', s2.ops, [o._id])).toBe(before);
    expect(await snapshotOf('central', s1.ops, [other._id])).toBe(beforeOther);
  });
});

describe('bindings change only through the unassign flow', () => {
  it('refuses HQ deleting or rewriting a binding at central; the replication account carries the store’s', async () => {
    const t = spec(s2, kioskNasgor(s2));
    const b = { ...binding(t, kioskNasgor(s2).deviceId), _id: `binding:${t.code}` };
    // Central gets the binding the way replication carries it (it may already be there).
    const existing = await adminOf('central').request<{ _rev?: string }>('GET', `${s2.directory}/${enc(b._id)}`);
    const rev =
      existing.status === 200 ? (existing.body._rev as string) : ((await relay.put(`${s2.directory}/${enc(b._id)}`, b)).body.rev as string);
    const current = await adminOf('central').request<Record<string, unknown>>('GET', `${s2.directory}/${enc(b._id)}`);
    const before = await snapshotOf('central', s2.directory, [b._id]);
    refused(await hq.del(`${s2.directory}/${enc(b._id)}?rev=${rev}`), /changes only through unassigning/);
    refused(await hq.put(`${s2.directory}/${enc(b._id)}`, { ...current.body, device_id: 'dev_ffffffffffff' }), /unassigning/);
    expect(await snapshotOf('central', s2.directory, [b._id])).toBe(before);
    expect((await relay.del(`${s2.directory}/${enc(b._id)}?rev=${rev}`)).status).toBe(200);
  });

  it('refuses the store manager deleting or rewriting a binding at the store', async () => {
    const path = `${s1.directory}/${enc('binding:KIOSK-NASGR-01')}`;
    const current = await adminOf('store').request<Record<string, unknown>>('GET', path);
    const manager = storeGateway().as({ username: s1.storeAdmin.name, password: s1.storeAdmin.password });
    const before = await snapshot('store', s1.directory);
    refused(await manager.del(`${path}?rev=${String(current.body._rev)}`), /changes only through unassigning/);
    refused(await manager.put(path, { ...current.body, device_id: 'dev_ffffffffffff' }), /changes only through unassigning/);
    expect(await snapshot('store', s1.directory)).toBe(before);
  });
});

describe('staff, PINs and cash drawers', () => {
  it('lets only HQ and the store manager write a person and a PIN hash; no terminal, anonymous caller or other tenant', async () => {
    const manager = storeGateway().as({ username: s1.storeAdmin.name, password: s1.storeAdmin.password });
    const mine = staff(s1.tenant, s1.store, { _id: 'staff:hostile-budi' });
    const path = `${s1.directory}/${enc(mine._id)}`;
    const written = await manager.put(path, mine);
    expect(written.status, JSON.stringify(written.body)).toBe(201);
    const hqAtCentral = staff(s1.tenant, s1.store, { _id: 'staff:hostile-hq' });
    expect((await hq.put(`${s1.directory}/${enc(hqAtCentral._id)}`, hqAtCentral)).status).toBe(201);

    // HQ's document replicates down meanwhile: the attacked documents are compared, not the whole database.
    const attacked = [mine._id, 'staff:new', 'staff:bulk', 'staff:rival', 'staff:weak'];
    const before = await snapshotOf('store', s1.directory, attacked);
    const taken = { ...mine, _rev: written.body.rev as string, role: 'manager' as const, pin: { ...mine.pin, hash: 'y'.repeat(43) + '=' } };
    for (const t of [kioskGeprek(s1), cashierGeprek(s1), kitchenGeprek(s1)]) {
      refused(await t.client.put(path, taken), /Only store or HQ administrators/);
      refused(await t.client.put(`${s1.directory}/staff%3Anew`, { ...mine, _id: 'staff:new' }), /Only store or HQ administrators/);
      refusedInBulk(await t.client.post(`${s1.directory}/_bulk_docs`, { docs: [{ ...mine, _id: 'staff:bulk' }] }), /Only store or HQ/);
    }
    expect((await storeGateway().put(path, taken)).status).toBe(401);
    // Odd paths to the same document are refused or canonicalised to it, never written around the rules.
    for (const odd of [`${s1.directory}/staff:hostile-budi`, `${s1.directory}/./${enc(mine._id)}`, `${s1.directory}//${enc(mine._id)}`])
      expect((await cashierGeprek(s1).client.put(odd, taken)).status).toBeGreaterThanOrEqual(400);
    const rival = (await createHqUser(uniqueCode('rv'))).client;
    expect((await rival.put(`${s1.directory}/staff%3Arival`, { ...mine, _id: 'staff:rival' })).status).toBeGreaterThanOrEqual(400);
    // A PIN hash too cheap to guess slowly is refused even from HQ.
    refused(
      await manager.put(`${s1.directory}/staff%3Aweak`, { ...mine, _id: 'staff:weak', pin: { ...mine.pin, iterations: 1 } }),
      /iterations/,
    );
    expect(await snapshotOf('store', s1.directory, attacked)).toBe(before);
  });

  it('keeps the drawer to the cashier itself, and every cashier fact to a named person and shift', async () => {
    const o = await writeOrder(s1, kioskGeprek(s1));
    const k = kioskGeprek(s1);
    const c = cashierGeprek(s1);
    const nasgor = kioskNasgor(s1);
    const before = await snapshot('store', s1.ops);
    for (const doc of [shiftOpen(spec(s1, k), '0190f0e0-0000-7000-8000-0000000000aa'), cashMovement(spec(s1, k)), shiftClose(spec(s1, k))])
      refused(await k.client.put(`${s1.ops}/${enc(doc._id)}`, as(k, doc)), /no cash drawer/);
    // Another brand's kiosk posing as the chicken brand's cashier.
    const posing = as(nasgor, shiftOpen(spec(s1, c), '0190f0e0-0000-7000-8000-0000000000ab'));
    refused(await nasgor.client.put(`${s1.ops}/${enc(posing._id)}`, posing), /only write as itself/);
    const anonymousPay: Record<string, unknown> = {
      ...as(c, payment(spec(s1, c), o._id, { order_total: o.total, amount: o.total, tendered: o.total, change: 0 })),
    };
    delete anonymousPay.staff;
    refused(await c.client.put(`${s1.ops}/${enc(String(anonymousPay._id))}`, anonymousPay), /staff must be a string/);
    const unapproved: Record<string, unknown> = { ...as(c, voidDoc(spec(s1, c), o._id)) };
    delete unapproved.approved_by;
    refused(await c.client.put(`${s1.ops}/${enc(String(unapproved._id))}`, unapproved), /approved_by/);
    expect(await snapshot('store', s1.ops)).toBe(before);

    // The cashier's own drawer goes through, once: a closed shift cannot be closed again differently.
    const open = as(c, shiftOpen(spec(s1, c), '0190f0e0-0000-7000-8000-0000000000ac'));
    const close = as(c, shiftClose(spec(s1, c), '0190f0e0-0000-7000-8000-0000000000ac', 100000, 100000));
    for (const doc of [open, close]) expect((await c.client.put(`${s1.ops}/${enc(doc._id)}`, doc)).status).toBe(201);
    const stored = await c.client.get(`${s1.ops}/${enc(close._id)}`);
    refused(await c.client.put(`${s1.ops}/${enc(close._id)}`, { ...close, _rev: stored.body._rev, counted: 999999 }), /immutable/);
  });
});
