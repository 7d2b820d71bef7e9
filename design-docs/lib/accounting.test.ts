// Random business days through the accounting rules: orders of two stores, partial and split
// payments at two cashier shifts and through the payment connector, voids, refunds, pay-ins and
// pay-outs, facts for missing or another brand's orders, and a delivery that is late, shuffled and
// repeats documents. Every report must satisfy the identities, not depend on the delivery, and
// add up: shifts to the day, stores to HQ, the CSV to the screen.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addSummaries, businessDay, dayScope, indexLedger, shiftScope, summarize, type LedgerDoc, type Summary } from './accounting';
import { orderTotals } from './money';
import { reportCsv, reportSections } from './report-lines';
import { PAYMENT_METHODS, SCHEMA_VERSION, type PaymentMethod } from './types';

const TZ = 'Asia/Jakarta';
const DAY = '2026-12-01';
/** 04:00 local on DAY, the business day's start (UTC+7). */
const DAY_START = Date.parse('2026-11-30T21:00:00.000Z');
const BRAND = 'AYAMGEPREK';

interface Gen {
  docs: LedgerDoc[];
  shifts: { id: string; terminal: string }[];
}

const orderArb = fc.record({
  lines: fc.array(
    fc.integer({ min: 1, max: 200 }).map((k) => k * 500),
    { minLength: 1, maxLength: 4 },
  ),
  discount: fc.integer({ min: 0, max: 40 }).map((k) => k * 500),
  serviceBp: fc.constantFrom(0, 500),
  taxBp: fc.constantFrom(0, 1000, 1100),
  minute: fc.integer({ min: 0, max: 24 * 60 - 2 }),
  payments: fc.array(
    fc.record({
      share: fc.integer({ min: 1, max: 100 }),
      method: fc.constantFrom<PaymentMethod>(...PAYMENT_METHODS),
      via: fc.constantFrom<'shift0' | 'shift1' | 'connector'>('shift0', 'shift1', 'connector'),
    }),
    { maxLength: 3 },
  ),
  voided: fc.boolean(),
  refundShare: fc.integer({ min: 0, max: 100 }),
  refundCash: fc.boolean(),
});

const dayArb = fc.record({
  orders: fc.array(orderArb, { maxLength: 25 }),
  movements: fc.array(
    fc.record({
      kind: fc.constantFrom<'pay_in' | 'pay_out'>('pay_in', 'pay_out'),
      amount: fc.integer({ min: 1, max: 200_000 }),
      shift: fc.integer({ min: 0, max: 1 }),
    }),
    { maxLength: 4 },
  ),
  floats: fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 })),
  noise: fc.boolean(),
});

type DayInput = typeof dayArb extends fc.Arbitrary<infer T> ? T : never;

function at(minute: number, plus = 0): string {
  return new Date(DAY_START + (minute + plus) * 60_000).toISOString();
}

/** One store's business day as documents. */
function buildDay(input: DayInput, store: string): Gen {
  const base = { schema: SCHEMA_VERSION, tenant: 'acme', store, brand: BRAND, device_id: 'dev_0123456789ab' };
  const cashiers = ['KASIR-GEPREK-01', 'KASIR-GEPREK-02'];
  const shifts = cashiers.map((terminal, i) => ({ id: `shift:${store}-s${i}`, terminal }));
  const staff = { staff: 'staff:sari', staff_name: 'Sari' };
  const approved = { ...staff, approved_by: 'staff:budi', approved_by_name: 'Budi' };
  const docs: LedgerDoc[] = [];
  shifts.forEach((s, i) =>
    docs.push({
      _id: `shift_open:${s.id.slice(6)}`,
      type: 'shift_open',
      ...base,
      ...staff,
      terminal: s.terminal,
      terminal_type: 'cashier',
      shift_id: s.id,
      float: input.floats[i]!,
      created_at: at(0),
    } as LedgerDoc),
  );
  input.orders.forEach((o, n) => {
    const id = `order:${store}-${n}`;
    const t = orderTotals(o.lines, o.discount, o.serviceBp, o.taxBp);
    const items = o.lines.map((l, i) => ({
      product_id: `product:p${i}`,
      name: `P${i}`,
      unit_price: l,
      qty: 1,
      modifiers: [],
      line_total: l,
    }));
    docs.push({
      _id: id,
      type: 'order',
      ...base,
      terminal: 'KIOSK-GEPREK-01',
      terminal_type: 'kiosk',
      channel: 'kiosk',
      number: `K1-${n}`,
      service: 'dine_in',
      customer_name: '',
      items,
      promotions: o.discount ? [{ promotion_id: 'promotion:x', name: 'x', amount: t.discount_total }] : [],
      pay_at: 'cashier',
      created_at: at(o.minute),
      ...t,
    } as LedgerDoc);
    const about = { order_id: id, order_brand: BRAND, order_store: store, order_total: t.total };
    let paid = 0;
    let lastPayment = '';
    o.payments.forEach((p, i) => {
      const amount = Math.max(1, Math.floor((t.total * p.share) / 100));
      if (t.total === 0) return;
      const pid = `payment:${store}-${n}-${i}`;
      lastPayment = pid;
      paid += amount;
      const when = at(o.minute, 1);
      if (p.via === 'connector')
        docs.push({
          _id: pid,
          type: 'payment',
          ...base,
          writer: 'connector',
          ...about,
          method: p.method === 'card' ? 'card' : 'qris',
          amount,
          request_id: `payment_request:${store}-${n}-${i}`,
          provider: 'midtrans',
          reference: 'ref-1234',
          created_at: when,
        } as LedgerDoc);
      else {
        const shift = shifts[p.via === 'shift0' ? 0 : 1]!;
        docs.push({
          _id: pid,
          type: 'payment',
          ...base,
          ...staff,
          ...about,
          terminal: shift.terminal,
          terminal_type: 'cashier',
          shift_id: shift.id,
          method: p.method,
          amount,
          ...(p.method === 'cash' ? { tendered: amount, change: 0 } : { reference: 'ref-1234' }),
          created_at: when,
        } as LedgerDoc);
      }
    });
    if (o.voided)
      docs.push({
        _id: `void:${store}-${n}`,
        type: 'void',
        ...base,
        ...approved,
        order_id: id,
        order_brand: BRAND,
        order_store: store,
        terminal: shifts[0]!.terminal,
        terminal_type: 'cashier',
        reason: 'batal',
        created_at: at(o.minute, 1),
      } as LedgerDoc);
    const refundable = Math.min(paid, t.total);
    const amount = Math.floor((refundable * o.refundShare) / 100);
    if (amount > 0)
      docs.push({
        _id: `refund:${store}-${n}`,
        type: 'refund',
        ...base,
        ...approved,
        ...about,
        terminal: shifts[1]!.terminal,
        terminal_type: 'cashier',
        shift_id: shifts[1]!.id,
        paid: refundable,
        refunded_before: 0,
        amount,
        method: o.refundCash ? 'cash' : 'qris',
        payment_id: lastPayment,
        reason: 'kembali',
        created_at: at(o.minute, 1),
      } as LedgerDoc);
  });
  input.movements.forEach((m, i) => {
    const shift = shifts[m.shift]!;
    docs.push({
      _id: `cash_movement:${store}-${i}`,
      type: 'cash_movement',
      ...base,
      ...staff,
      terminal: shift.terminal,
      terminal_type: 'cashier',
      shift_id: shift.id,
      kind: m.kind,
      amount: m.amount,
      reason: 'es batu',
      created_at: at(10),
    } as LedgerDoc);
  });
  if (input.noise && input.orders.length > 0) {
    // A payment for an order that does not exist, and one of another brand on a real order: neither counts.
    docs.push({
      _id: `payment:${store}-ghost`,
      type: 'payment',
      ...base,
      ...staff,
      order_id: `order:${store}-ghost`,
      order_brand: BRAND,
      order_store: store,
      order_total: 1000,
      terminal: shifts[0]!.terminal,
      terminal_type: 'cashier',
      shift_id: shifts[0]!.id,
      method: 'cash',
      amount: 1000,
      tendered: 1000,
      change: 0,
      created_at: at(5),
    } as LedgerDoc);
    docs.push({
      _id: `payment:${store}-other`,
      type: 'payment',
      ...base,
      brand: 'MIEAYAM',
      ...staff,
      order_id: `order:${store}-0`,
      order_brand: 'MIEAYAM',
      order_store: store,
      order_total: 1000,
      terminal: 'KASIR-MIE-01',
      terminal_type: 'cashier',
      shift_id: shifts[0]!.id,
      method: 'cash',
      amount: 1000,
      tendered: 1000,
      change: 0,
      created_at: at(5),
    } as LedgerDoc);
  }
  return { docs, shifts };
}

/** Replication's view of the same documents: shuffled, some twice, some late (a device offline for an hour). */
const deliveryArb = (n: number) =>
  fc.tuple(fc.array(fc.nat(), { minLength: n, maxLength: n }), fc.array(fc.nat({ max: Math.max(0, n - 1) }), { maxLength: 5 }));

function deliver<T>(docs: T[], [keys, dups]: [number[], number[]]): T[] {
  const shuffled = docs
    .map((d, i) => ({ d, k: keys[i] ?? 0 }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.d);
  return [...shuffled, ...dups.filter((i) => i < docs.length).map((i) => docs[i]!)];
}

function checkIdentities(s: Summary) {
  expect(s.net).toBe(s.gross - s.discounts);
  expect(s.total).toBe(s.net + s.service + s.tax);
  expect(s.payments.collected).toBe(PAYMENT_METHODS.reduce((a, m) => a + s.payments.byMethod[m], 0));
  expect(s.refunds.refunded).toBe(PAYMENT_METHODS.reduce((a, m) => a + s.refunds.byMethod[m], 0));
  expect(s.refunds.refunded).toBe(s.refunds.onSales + s.refunds.onVoids);
  expect(s.cash.expected).toBe(s.cash.float + s.cash.sales - s.cash.refunds + s.cash.payIns - s.cash.payOuts);
}

describe('accounting on random business days', () => {
  it('satisfies the identities, ignores delivery order and repeats, and adds up from shifts to the day and from stores to HQ', () => {
    fc.assert(
      fc.property(dayArb, dayArb, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (inputA, inputB, seed) => {
        const a = buildDay(inputA, 'mall');
        const b = buildDay(inputB, 'bsd');
        const scope = dayScope(DAY, TZ);
        const dayA = summarize(indexLedger(a.docs), scope);
        checkIdentities(dayA);
        // Every fact of the day's orders is in the day: what came in, less what went back, is what was sold less what is owed.
        expect(dayA.payments.collected - dayA.refunds.refunded).toBe(
          dayA.total - dayA.refunds.onSales - dayA.unpaid.amount + dayA.overpaid + dayA.heldOnVoids,
        );

        const delivered = fc.sample(deliveryArb(a.docs.length), { seed, numRuns: 1 })[0]!;
        expect(summarize(indexLedger(deliver(a.docs, delivered)), scope)).toEqual(dayA);

        // The cashiers' shifts and the connector make the day's payments; the drawers make its cash.
        const ledger = indexLedger(a.docs);
        const shifts = a.shifts.map((s) => summarize(ledger, shiftScope(ledger, s.id, s.terminal)));
        shifts.forEach(checkIdentities);
        const connector = summarize(ledger, { order: () => false, fact: (d) => (d as { writer?: string }).writer === 'connector' });
        for (const m of PAYMENT_METHODS)
          expect(shifts.reduce((x, s) => x + s.payments.byMethod[m], connector.payments.byMethod[m])).toBe(dayA.payments.byMethod[m]);
        expect(shifts.reduce((x, s) => x + s.cash.expected, 0)).toBe(dayA.cash.expected);

        // HQ sees both stores in one database: its totals are the sum of the stores'.
        const dayB = summarize(indexLedger(b.docs), scope);
        expect(summarize(indexLedger([...b.docs, ...a.docs]), scope)).toEqual(addSummaries(dayA, dayB));

        // The CSV says what the screen says.
        const sections = reportSections(dayA, { counted: dayA.cash.expected });
        const csv = reportCsv(sections)
          .trim()
          .split('\r\n')
          .slice(1)
          .map((l) => l.split(','));
        expect(csv.map((r) => Number(r[4]))).toEqual(sections.flatMap((s) => s.lines.map((l) => l.amount)));
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});

describe('business day', () => {
  it('counts a sale after midnight in the day before, until the closing hour', () => {
    expect(businessDay('2026-12-01T18:30:00.000Z', TZ)).toBe('2026-12-01'); // 01:30 local on Dec 2
    expect(businessDay('2026-12-01T20:59:59.000Z', TZ)).toBe('2026-12-01'); // 03:59 local
    expect(businessDay('2026-12-01T21:00:00.000Z', TZ)).toBe('2026-12-02'); // 04:00 local
    expect(businessDay('2026-12-01T21:00:00.000Z', TZ, 0)).toBe('2026-12-02');
    expect(businessDay('2026-12-01T16:30:00.000Z', TZ, 0)).toBe('2026-12-01'); // 23:30 local, midnight close
  });
});
