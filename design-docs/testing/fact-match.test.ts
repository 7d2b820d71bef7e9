import { describe, expect, it } from 'vitest';
import { kiosk, order, payment, terminalOf } from './fixtures';
import { factMatchesOrder, factMismatch, matchingFacts } from '../lib/fact-match';

const geprek = kiosk('acme', 'mall', 'AYAMGEPREK', 'KIOSK-GEPREK-01');
const nasgor = kiosk('acme', 'mall', 'NASGORENG', 'KIOSK-NASGR-01');

describe('factMismatch', () => {
  const o = order(geprek);

  it('accepts a fact of the same tenant, store and brand, even from another terminal of the brand', () => {
    expect(factMismatch(payment(geprek, o._id, { order_total: o.total }), o)).toBeNull();
    expect(factMatchesOrder(payment(terminalOf(geprek, 'cashier', 'KASIR-GEPREK-01'), o._id, { order_total: o.total }), o)).toBe(true);
  });

  it('refuses a fact whose order is missing, deleted, of another id or not an order', () => {
    expect(factMismatch(payment(geprek, o._id, { order_total: o.total }), null)).toBe('order_missing');
    expect(factMismatch(payment(geprek, o._id, { order_total: o.total }), { ...o, _deleted: true })).toBe('order_missing');
    expect(factMismatch(payment(geprek, 'order:other'), o)).toBe('order_missing');
    expect(factMismatch(payment(geprek, o._id, { order_total: o.total }), { ...o, type: 'payment' as 'order' })).toBe('order_missing');
  });

  it('refuses another brand, store or tenant', () => {
    expect(factMismatch(payment(nasgor, o._id, { order_total: o.total }), o)).toBe('order_brand');
    expect(factMismatch(payment(kiosk('acme', 'plaza'), o._id, { order_total: o.total }), o)).toBe('order_store');
    expect(factMismatch(payment(kiosk('other', 'mall'), o._id, { order_total: o.total }), o)).toBe('order_store');
  });

  it('also checks order_brand / order_store when the writer recorded them', () => {
    expect(factMismatch({ ...payment(geprek, o._id, { order_total: o.total }), order_brand: 'NASGORENG' }, o)).toBe('order_brand');
    expect(factMismatch({ ...payment(geprek, o._id, { order_total: o.total }), order_store: 'plaza' }, o)).toBe('order_store');
    expect(
      factMismatch({ ...payment(geprek, o._id, { order_total: o.total }), order_brand: 'AYAMGEPREK', order_store: 'mall' }, o),
    ).toBeNull();
  });

  it('matchingFacts keeps only the facts that count', () => {
    const good = payment(geprek, o._id, { order_total: o.total });
    expect(matchingFacts([good, payment(nasgor, o._id, { order_total: o.total })], o)).toEqual([good]);
    expect(matchingFacts(undefined, o)).toEqual([]);
  });
});
