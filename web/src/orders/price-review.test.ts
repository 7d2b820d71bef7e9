import { describe, expect, it } from 'vitest';
import { order, product, kiosk } from '../../../design-docs/testing/fixtures';
import { priceOverrides } from './price-review';

describe('price overrides (seed scenario 3)', () => {
  const k = kiosk('yogya', 'bsd');
  const o = order(k, { created_at: '2026-01-20T10:00:00.000Z' }); // charged 25.000 for product:geprek-original
  const catalog = (price: number, updated_at: string) => ({ 'product:geprek-original': product('yogya', { price, updated_at }) });

  it('flags an order taken at the old price after the catalog had changed', () => {
    const found = priceOverrides([o], catalog(27000, '2026-01-20T09:00:00.000Z'), k.code, () => false);
    expect(found).toHaveLength(1);
    expect(found[0]!.detail).toContain('charged 25000, catalog 27000');
  });

  it('leaves orders made before the change, unchanged prices, other terminals and flagged orders alone', () => {
    expect(priceOverrides([o], catalog(27000, '2026-01-20T11:00:00.000Z'), k.code, () => false)).toEqual([]);
    expect(priceOverrides([o], catalog(25000, '2026-01-20T09:00:00.000Z'), k.code, () => false)).toEqual([]);
    expect(priceOverrides([o], catalog(27000, '2026-01-20T09:00:00.000Z'), 'KASIR-GEPREK-01', () => false)).toEqual([]);
    expect(priceOverrides([o], catalog(27000, '2026-01-20T09:00:00.000Z'), k.code, () => true)).toEqual([]);
  });
});
