import { describe, expect, it } from 'vitest';
import { lineTotal, orderTotals } from '../../design-docs/lib/money';
import {
  binding,
  connectorPayment,
  kiosk,
  order,
  payment,
  paymentRequest,
  product,
  staff,
  terminalDoc,
  terminalOf,
  ticketEvent,
  voidDoc,
} from '../../design-docs/testing/fixtures';
import type { Order, Product, Promotion, Refund, StoreDoc, Terminal } from '../../design-docs/lib/types';
import { confirmedPayments, factFindings, orderFindings, writerFindings, type AuditWorld, type Fact } from './order-audit';

const geprek = kiosk('acme', 'mall', 'AYAMGEPREK', 'KIOSK-GEPREK-01');
const cashier = terminalOf(geprek, 'cashier', 'KASIR-GEPREK-01');
const kitchen = terminalOf(geprek, 'kitchen', 'KITCHEN-GEPREK');
const nasgor = kiosk('acme', 'mall', 'NASGORENG', 'KIOSK-NASGR-01');
const kiosk2 = kiosk('acme', 'mall', 'AYAMGEPREK', 'KIOSK-GEPREK-02');
// Fixtures are written now (validate refuses facts from the future or the distant past).
const BEFORE = new Date(Date.now() - 30 * 86_400_000).toISOString();
const AFTER = new Date(Date.now() + 86_400_000).toISOString();

const products: Product[] = [
  product('acme', {
    updated_at: BEFORE,
    modifier_groups: [{ id: 'level', name: 'Level', required: true, max: 1, options: [{ id: 'l3', name: 'Level 3', price: 0 }] }],
  }),
  product('acme', {
    _id: 'product:es-teh',
    name: 'Es Teh Manis',
    price: 8000,
    updated_at: BEFORE,
    modifier_groups: [{ id: 'size', name: 'Ukuran', required: false, max: 1, options: [{ id: 'jumbo', name: 'Jumbo', price: 3000 }] }],
  }),
  product('acme', { _id: 'product:nasgor', brand: 'NASGORENG', name: 'Nasi Goreng', price: 20000, updated_at: BEFORE }),
];

const promo: Promotion = {
  _id: 'promotion:geprek10',
  type: 'promotion',
  schema: 1,
  tenant: 'acme',
  brand: 'AYAMGEPREK',
  name: 'Geprek 10%',
  kind: 'percent',
  value: 10,
  product_ids: ['product:geprek-original'],
  starts_at: BEFORE,
  ends_at: AFTER,
  active: true,
  updated_at: BEFORE,
};

function world(over: Partial<AuditWorld> = {}): AuditWorld {
  const storeDoc = { _id: 'store', type: 'store', service_rate_bp: 500, tax_rate_bp: 1000, updated_at: BEFORE } as unknown as StoreDoc;
  const terminals = [geprek, cashier, kitchen, nasgor, kiosk2].map((t) => terminalDoc(t) as Terminal);
  return {
    tenant: 'acme',
    store: 'mall',
    products: new Map(products.map((p) => [p._id, p])),
    promotions: new Map([[promo._id, promo]]),
    storeDoc,
    terminals: new Map(terminals.map((t) => [t.code, t])),
    bindings: new Map([[geprek.code, { ...binding(geprek), assigned_at: BEFORE } as never]]),
    staff: new Map([
      ['staff:sari', staff('acme', 'mall', { _id: 'staff:sari', name: 'Sari', role: 'cashier' })],
      ['staff:budi', staff('acme', 'mall')],
    ]),
    ...over,
  };
}

/** The fixture order with its items changed, totals recomputed the store's way. */
function withItems(o: Order, change: (items: Order['items']) => void, discount = 0, promotions: Order['promotions'] = []): Order {
  const items = structuredClone(o.items);
  change(items);
  for (const i of items) i.line_total = lineTotal(i);
  return {
    ...o,
    items,
    promotions,
    ...orderTotals(
      items.map((i) => i.line_total),
      discount,
      500,
      1000,
    ),
  };
}

const checks = (f: { check: string }[]) => f.map((x) => x.check);
const asFact = (d: object) => d as unknown as Fact;

describe('orderFindings', () => {
  const good = order(geprek);

  it('passes an order priced from the catalog with the store rates', () => {
    expect(orderFindings(good, world())).toEqual([]);
  });

  it('flags a price the catalog did not have, and unit price 0', () => {
    const cheap = withItems(good, (items) => (items[0]!.unit_price = 0));
    const f = orderFindings(cheap, world());
    expect(checks(f)).toEqual(['price']);
    expect(f[0]!.detail).toContain('charged Rp 0, catalog Rp 25.000');
  });

  it('does not flag a price when the product changed after the order (its old price is gone)', () => {
    const w = world();
    w.products.set('product:geprek-original', { ...products[0]!, price: 27000, updated_at: AFTER });
    expect(orderFindings(good, w)).toEqual([]);
  });

  it('flags unknown and other-brand products and modifiers with a wrong price', () => {
    const f = orderFindings(
      withItems(good, (items) => {
        items[0]!.product_id = 'product:made-up';
        items[1]!.modifiers[0]!.price = 0;
        items.push({ ...items[1]!, product_id: 'product:nasgor', unit_price: 20000, modifiers: [] });
      }),
      world(),
    );
    expect(checks(f)).toEqual(['product_unknown', 'modifier_price', 'product_brand']);
  });

  it('accepts a real promotion and flags a made-up one, an excessive amount, or an inactive one', () => {
    const ok = withItems(good, () => {}, 5000, [{ promotion_id: promo._id, name: promo.name, amount: 5000 }]);
    expect(orderFindings(ok, world())).toEqual([]);
    const fake = withItems(good, () => {}, 5000, [{ promotion_id: 'promotion:gratis', name: 'Gratis', amount: 5000 }]);
    expect(checks(orderFindings(fake, world()))).toEqual(['promotion_unknown']);
    const big = withItems(good, () => {}, 20000, [{ promotion_id: promo._id, name: promo.name, amount: 20000 }]);
    expect(checks(orderFindings(big, world()))).toEqual(['promotion_amount', 'discount_total']);
    const w = world({ promotions: new Map([[promo._id, { ...promo, ends_at: new Date(Date.now() - 86_400_000).toISOString() }]]) });
    expect(checks(orderFindings(ok, w))).toEqual(['promotion_inactive']);
  });

  it('flags service charge and tax that are not the store rates, unless the store changed its rates since', () => {
    const wrong = { ...good, tax: 0, total: good.total - good.tax };
    expect(checks(orderFindings(wrong, world()))).toEqual(['totals']);
    const w = world();
    w.storeDoc = { ...w.storeDoc!, updated_at: AFTER };
    expect(orderFindings(wrong, w)).toEqual([]);
  });
});

describe('writerFindings', () => {
  it('flags a device that is not the one bound to the terminal, but not before the binding was made', () => {
    const o = order(geprek, { device_id: 'dev_ffffffffffff' });
    expect(checks(writerFindings(asFact(o), world()))).toEqual(['device']);
    expect(writerFindings(asFact(order(geprek)), world())).toEqual([]);
    const rebound = world({ bindings: new Map([[geprek.code, { ...binding(geprek, 'dev_111111111111'), assigned_at: AFTER } as never]]) });
    expect(writerFindings(asFact(order(geprek)), rebound)).toEqual([]);
  });

  it('flags a person who is not on the store’s staff, and an approver who may not approve', () => {
    const o = order(geprek);
    expect(writerFindings(asFact(voidDoc(cashier, o._id)), world())).toEqual([]);
    const stranger = { ...voidDoc(cashier, o._id), staff: 'staff:ghost', staff_name: 'Ghost' };
    expect(checks(writerFindings(asFact(stranger), world()))).toEqual(['staff_unknown']);
    const byCashier = { ...voidDoc(cashier, o._id), approved_by: 'staff:sari', approved_by_name: 'Sari' };
    expect(writerFindings(asFact(byCashier), world())).toEqual([
      { check: 'approver', detail: 'void approved by Sari (staff:sari), who is a cashier, not a supervisor or manager' },
    ]);
  });

  it('flags a fact of another store', () => {
    expect(checks(writerFindings(asFact(order(kiosk('acme', 'plaza'))), world()))).toEqual(['wrong_store']);
  });
});

describe('factFindings', () => {
  const o = order(geprek, { pay_at: 'qris' });
  const none = { payments: [], refunds: [] };
  const qris = (t = cashier, amount = o.total) =>
    payment(t, o._id, { order_total: o.total, method: 'qris', amount, tendered: undefined, change: undefined, reference: 'QR-1' });

  it('passes a payment the connector settled and one by a cashier of the brand', () => {
    const settled = connectorPayment(paymentRequest(geprek, o._id, { order_total: o.total, amount: o.total }));
    expect(factFindings(asFact(settled), o, none, world())).toEqual([]);
    expect(factFindings(asFact(qris()), o, none, world())).toEqual([]);
    expect(
      factFindings(
        asFact(payment(cashier, o._id, { order_total: o.total, amount: o.total, tendered: o.total, change: 0 })),
        o,
        none,
        world(),
      ),
    ).toEqual([]);
  });

  it("flags another brand's payment, void and ticket event", () => {
    expect(checks(factFindings(asFact(qris(nasgor)), o, none, world()))).toEqual(['order_brand']);
    expect(checks(factFindings(asFact(voidDoc(terminalOf(nasgor, 'cashier', 'KASIR-NASGR-01'), o._id)), o, none, world()))).toEqual([
      'order_brand',
    ]);
    expect(
      checks(factFindings(asFact(ticketEvent(terminalOf(nasgor, 'kitchen', 'KITCHEN-NASGR'), o._id, 'ready')), o, none, world())),
    ).toEqual(['order_brand']);
    expect(factFindings(asFact(ticketEvent(kitchen, o._id, 'ready')), o, none, world())).toEqual([]);
  });

  it('flags a payment beyond what is due, counting earlier payments only', () => {
    const first = qris(cashier, o.total - 1000);
    const second = payment(cashier, o._id, { order_total: o.total, amount: 5000, tendered: 5000, change: 0 });
    const related = { payments: [first, second], refunds: [] };
    expect(factFindings(asFact(first), o, related, world())).toEqual([]);
    const f = factFindings(asFact(second), o, related, world());
    expect(checks(f)).toEqual(['overpaid']);
    expect(confirmedPayments(o, related.payments)).toEqual([first]);
  });

  it('flags a payment by a terminal that may not confirm one (a kiosk, whatever the method)', () => {
    const cash = payment(geprek, o._id, { order_total: o.total, amount: o.total, tendered: o.total, change: 0 });
    expect(checks(factFindings(asFact(cash), o, none, world()))).toEqual(['method']);
    expect(checks(factFindings(asFact(qris(kiosk2)), o, none, world()))).toEqual(['method']);
    expect(checks(factFindings(asFact(qris(kitchen)), o, none, world()))).toEqual(['method']);
  });

  it('flags refunds beyond the confirmed payments', () => {
    const paid = qris();
    const refund = (amount: number): Refund =>
      ({
        ...(voidDoc(cashier, o._id) as object),
        _id: `refund:0193-${amount}`,
        type: 'refund',
        amount,
        method: 'qris',
      }) as Refund;
    const small = refund(10000);
    expect(factFindings(asFact(small), o, { payments: [paid], refunds: [small] }, world())).toEqual([]);
    const huge = refund(1_000_000_000);
    expect(checks(factFindings(asFact(huge), o, { payments: [paid], refunds: [small, huge] }, world()))).toEqual(['over_refund']);
    expect(checks(factFindings(asFact(small), o, none, world()))).toEqual(['over_refund']);
    // A payment of another brand is not a confirmed payment.
    expect(checks(factFindings(asFact(small), o, { payments: [qris(nasgor)], refunds: [] }, world()))).toEqual(['over_refund']);
  });

  it('says the order is missing when the fact names another order', () => {
    expect(checks(factFindings(asFact(payment(geprek, 'order:nope')), o, none, world()))).toEqual(['order_missing']);
  });
});
