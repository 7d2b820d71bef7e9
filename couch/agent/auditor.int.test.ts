// The auditor against a real store server: facts each well formed (so validate accepted
// them) but wrong against their order each get exactly one review flag; good orders, and a
// payment whose order merely arrives late, get none; restarting writes no duplicates.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { order, payment, refund, staff, ticketEvent, voidDoc, type TerminalSpec } from '../../design-docs/testing/fixtures';
import type { Order, Product, Review } from '../../design-docs/lib/types';
import { docPath } from '../../scripts/lib/couch-admin';
import { enc } from '../testing/http';
import { adminOf, uniqueCode } from '../testing/servers';
import { createStore, type TestStore } from '../testing/tenants';
import { waitFor } from '../testing/wait-for';
import { auditFlagId, startAuditor, type Auditor } from './auditor';

let s: TestStore;
const running: Auditor[] = [];
const PAST = '2026-01-01T00:00:00.000Z';

function start(checkpointId?: string): Auditor {
  const a = startAuditor({
    store: adminOf('store'),
    tenant: s.tenant,
    storeCode: s.store,
    missingOrderGraceMs: 4000,
    pollMs: 500,
    checkpointId,
  });
  running.push(a);
  return a;
}

function spec(code: string, type: TerminalSpec['type'], brand: string): TerminalSpec {
  return { tenant: s.tenant, store: s.store, code, type, brand };
}

const kiosk = () => spec('KIOSK-GEPREK-01', 'kiosk', 'AYAMGEPREK');
const cashier = () => spec('KASIR-GEPREK-01', 'cashier', 'AYAMGEPREK');
const kitchen = () => spec('KITCHEN-GEPREK', 'kitchen', 'AYAMGEPREK');
const strangerKiosk = () => spec('KIOSK-NASGR-01', 'kiosk', 'NASGORENG');
const device = (code: string) => s.terminals[code]!.deviceId;

/** A fact as the terminal would write it now, from its bound device. */
function now<T extends { device_id: string; created_at: string; terminal: string }>(doc: T, over: Partial<T> = {}): T {
  return { ...doc, device_id: s.terminals[doc.terminal]?.deviceId ?? doc.device_id, created_at: new Date().toISOString(), ...over };
}

/** A static QRIS payment the cashier confirmed from the merchant's notification. */
function cashierQris(o: Order) {
  return now(
    payment(cashier(), o._id, {
      method: 'qris',
      order_total: o.total,
      amount: o.total,
      tendered: undefined,
      change: undefined,
      reference: 'QR-1',
    }),
  );
}

function kioskOrder(over: Partial<Order> = {}): Order {
  return now(order(kiosk(), { pay_at: 'qris' }), over);
}

async function asAdmin(doc: { _id: string }): Promise<void> {
  const put = await adminOf('store').request('PUT', docPath(s.ops, doc._id), doc);
  expect(put.status, JSON.stringify(put.body)).toBeLessThan(300);
}

async function asTerminal(code: string, doc: { _id: string }): Promise<void> {
  const put = await s.terminals[code]!.client.put(`${s.ops}/${enc(doc._id)}`, doc);
  expect(put.status, JSON.stringify(put.body)).toBeLessThan(300);
}

async function auditFlags(): Promise<Review[]> {
  const res = await adminOf('store').request<{ rows: { doc: Review }[] }>(
    'GET',
    `${enc(s.ops)}/_all_docs?include_docs=true&startkey=${enc('"review:audit-"')}&endkey=${enc('"review:audit-\ufff0"')}`,
  );
  return res.body.rows.map((r) => r.doc);
}

const catalog: Product[] = [];

beforeAll(async () => {
  s = await createStore(uniqueCode('au'), 'mall');
  const base = {
    type: 'product',
    schema: 1,
    tenant: s.tenant,
    category_id: 'category:main',
    available: true,
    sort: 1,
    updated_at: PAST,
  } as const;
  catalog.push(
    {
      ...base,
      _id: 'product:geprek-original',
      brand: 'AYAMGEPREK',
      name: 'Ayam Geprek Original',
      price: 25000,
      modifier_groups: [{ id: 'level', name: 'Level', required: true, max: 1, options: [{ id: 'l3', name: 'Level 3', price: 0 }] }],
    },
    {
      ...base,
      _id: 'product:es-teh',
      brand: 'AYAMGEPREK',
      name: 'Es Teh Manis',
      price: 8000,
      modifier_groups: [{ id: 'size', name: 'Ukuran', required: false, max: 1, options: [{ id: 'jumbo', name: 'Jumbo', price: 3000 }] }],
    },
  );
  for (const p of catalog) {
    const put = await adminOf('store').request('PUT', docPath(s.catalog, p._id), p);
    expect(put.status, JSON.stringify(put.body)).toBeLessThan(300);
  }
  // The people the fixtures' cashier facts name: Sari, cashier; Budi, supervisor.
  for (const p of [staff(s.tenant, s.store, { _id: 'staff:sari', name: 'Sari', role: 'cashier' }), staff(s.tenant, s.store)]) {
    const put = await adminOf('store').request('PUT', docPath(s.directory, p._id), p);
    expect(put.status, JSON.stringify(put.body)).toBeLessThan(300);
  }
}, 60_000);

afterAll(() => {
  for (const a of running) a.stop();
});

describe('the store auditor', () => {
  it('flags each fact that does not fit its order exactly once, and good orders never', async () => {
    // Good: an order, its QRIS payment confirmed at the cashier, the kitchen's events, all through the gateway.
    const good = kioskOrder();
    await asTerminal('KIOSK-GEPREK-01', good);
    await asTerminal('KASIR-GEPREK-01', cashierQris(good));
    await asTerminal('KITCHEN-GEPREK', now(ticketEvent(kitchen(), good._id, 'preparing')));
    const target = kioskOrder();
    await asTerminal('KIOSK-GEPREK-01', target);
    await asTerminal('KASIR-GEPREK-01', cashierQris(target));

    const auditor = start();
    await waitFor('the good orders audited', async () => auditor.caughtUp || null);

    // A payment whose order arrives after it (replication order is not guaranteed): no flag.
    const late = kioskOrder();
    await asTerminal('KASIR-GEPREK-01', cashierQris(late));
    await waitFor('the early payment waiting for its order', async () => auditor.pending === 1 || null);
    await asTerminal('KIOSK-GEPREK-01', late);

    // Each of these validate accepts on its own (well formed; written here by the store's admin,
    // as a compromised path would carry them in).
    const stranger = now(
      payment(strangerKiosk(), target._id, {
        method: 'qris',
        order_total: target.total,
        amount: target.total,
        tendered: undefined,
        change: undefined,
        reference: 'QR-1',
      }),
    );
    const missing = now(
      payment(kiosk(), `order:${uuidv7()}`, {
        method: 'qris',
        order_total: 10000,
        amount: 10000,
        tendered: undefined,
        change: undefined,
        reference: 'QR-1',
      }),
    );
    const crossTicket = now(ticketEvent(spec('KITCHEN-NASGR', 'kitchen', 'NASGORENG'), target._id, 'ready'));
    const cheap = kioskOrder();
    // Validate refuses a price of 0; Rp 1 passes it and only the catalog shows it wrong.
    cheap.items[0]!.unit_price = 1;
    cheap.items[0]!.line_total = cheap.items[0]!.qty;
    const subtotal = cheap.items.reduce((a, i) => a + i.line_total, 0);
    const service = Math.floor((subtotal * 500 + 5000) / 10000);
    const tax = Math.floor(((subtotal + service) * 1000 + 5000) / 10000);
    Object.assign(cheap, { subtotal, service_charge: service, tax, total: subtotal + service + tax });
    const wrongDevice = kioskOrder({ device_id: 'dev_ffffffffffff' });
    const unpaid = wrongDevice;
    // Validate bounds a refund by the paid amount it names; only the auditor knows that nothing was paid.
    const overRefund = now(
      refund(cashier(), unpaid._id, {
        amount: unpaid.total,
        paid: unpaid.total,
        order_total: unpaid.total,
        method: 'qris',
        reason: 'refund besar',
      }),
    );
    // A cashier's void, "approved" by a cashier: validate sees a well-formed approver; only the staff list shows she may not.
    const selfApproved = now({ ...voidDoc(cashier(), target._id), approved_by: 'staff:sari', approved_by_name: 'Sari' });
    for (const d of [stranger, missing, overRefund, crossTicket, cheap, wrongDevice, selfApproved])
      await asAdmin(JSON.parse(JSON.stringify(d)));

    const expected: Record<string, string[]> = {
      [stranger._id]: ['order_brand'],
      [missing._id]: ['order_missing'],
      [overRefund._id]: ['over_refund'],
      [crossTicket._id]: ['order_brand'],
      [cheap._id]: ['price'],
      [wrongDevice._id]: ['device'],
      [selfApproved._id]: ['approver'],
    };
    const flags = await waitFor(
      'a flag for each bad fact',
      async () => {
        const all = await auditFlags();
        return all.length >= Object.keys(expected).length ? all : null;
      },
      30_000,
    );
    expect(Object.fromEntries(flags.map((f) => [f.fact_id, f.checks]))).toEqual(expected);
    for (const f of flags) {
      expect(f._id).toBe(auditFlagId(f.fact_id!));
      expect(f).toMatchObject({ type: 'review', reason: 'audit', tenant: s.tenant, store: s.store });
      expect(f.detail.length).toBeGreaterThan(10);
    }
    expect(flags.find((f) => f.fact_id === stranger._id)!.detail).toContain('NASGORENG');
    expect(flags.find((f) => f.fact_id === cheap._id)!.detail).toContain('charged Rp 1, catalog Rp 25.000');
    expect(flags.some((f) => [good._id, late._id].includes(f.order_id))).toBe(false);
    expect(device('KIOSK-GEPREK-01')).not.toBe('dev_ffffffffffff');

    // Restart from its checkpoint, then from scratch (another checkpoint): nothing new.
    auditor.stop();
    const again = start();
    await waitFor('the restarted auditor caught up', async () => (again.caughtUp && again.pending === 0) || null);
    again.stop();
    const fresh = start('_local/lapak-auditor-test-fresh');
    await waitFor('a fresh auditor through the whole feed', async () => (fresh.caughtUp && fresh.pending === 0) || null, 30_000);
    expect(fresh.flagged).toBe(0);
    expect(again.flagged).toBe(0);
    expect((await auditFlags()).map((f) => f._id).sort()).toEqual(flags.map((f) => f._id).sort());
  }, 90_000);
});
