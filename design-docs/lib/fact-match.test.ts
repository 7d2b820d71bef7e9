import { describe, expect, it } from 'vitest';
import { factMismatch, matchingFacts } from './fact-match';

const order = { _id: 'order:1', type: 'order' as const, tenant: 'yogya', store: 'bsd', brand: 'AYAMGEPREK', total: 50_000 };
const fact = { order_id: 'order:1', tenant: 'yogya', store: 'bsd', brand: 'AYAMGEPREK', order_brand: 'AYAMGEPREK', order_store: 'bsd' };

describe('factMismatch: the one rule every reader counts facts by', () => {
  it('counts a fact of the order’s own tenant, store and brand', () => {
    expect(factMismatch(fact, order)).toBeNull();
    expect(factMismatch({ ...fact, order_total: 50_000 }, order)).toBeNull();
  });

  it('says why a fact does not count', () => {
    expect(factMismatch(fact, null)).toBe('order_missing');
    expect(factMismatch(fact, { ...order, _deleted: true })).toBe('order_missing');
    expect(factMismatch({ ...fact, order_id: 'order:2' }, order)).toBe('order_missing');
    expect(factMismatch({ ...fact, store: 'depok' }, order)).toBe('order_store');
    expect(factMismatch({ ...fact, order_store: 'depok' }, order)).toBe('order_store');
    expect(factMismatch({ ...fact, brand: 'NASGORENG' }, order)).toBe('order_brand');
    // Another brand's kiosk posing as the order's brand in order_brand, honest in brand.
    expect(factMismatch({ ...fact, brand: 'NASGORENG', order_brand: 'AYAMGEPREK' }, order)).toBe('order_brand');
    expect(factMismatch({ ...fact, order_total: 1_000_000_000 }, order)).toBe('order_total');
  });

  it('keeps only the facts that count', () => {
    const other = { ...fact, brand: 'NASGORENG' };
    expect(matchingFacts([fact, other], order)).toEqual([fact]);
    expect(matchingFacts(undefined, order)).toEqual([]);
  });
});
