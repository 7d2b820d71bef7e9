import { describe, expect, it } from 'vitest';
import { structureErrors } from '../../../design-docs/lib/structure';
import type { Promotion } from '../../../design-docs/lib/types';
import type { TerminalConfig } from '../device/terminal-config';
import { buildOrder } from './order-doc';
import { formatOrderNumber, sequenceOf } from './order-number';
import { priceCart, type CartLine } from './pricing';

const NOW = '2026-03-01T05:00:00.000Z';
const geprek: CartLine = {
  key: 'a',
  product: { _id: 'product:geprek', name: 'Ayam Geprek', price: 25000, brand: 'AYAMGEPREK' },
  modifiers: [{ group_id: 'porsi', option_id: 'jumbo', name: 'Jumbo', price: 5000 }],
  qty: 2,
  note: ' tanpa sambal ',
};
const teh: CartLine = {
  key: 'b',
  product: { _id: 'product:teh', name: 'Es Teh', price: 5000, brand: 'AYAMGEPREK' },
  modifiers: [],
  qty: 1,
  note: '',
};
const promo = (over: Partial<Promotion>): Promotion => ({
  _id: 'promotion:p',
  type: 'promotion',
  schema: 1,
  tenant: 'yogya',
  brand: 'AYAMGEPREK',
  name: 'Diskon 10%',
  kind: 'percent',
  value: 10,
  product_ids: ['product:geprek'],
  starts_at: '2026-01-01T00:00:00.000Z',
  ends_at: '2027-01-01T00:00:00.000Z',
  active: true,
  updated_at: NOW,
  ...over,
});
const rates = { service_rate_bp: 500, tax_rate_bp: 1000 };

describe('pricing a cart', () => {
  it('adds modifiers, applies the promotion to its products only, then service and tax, in whole rupiah', () => {
    const p = priceCart([geprek, teh], [promo({})], NOW, rates);
    expect(p.items.map((i) => i.line_total)).toEqual([60000, 5000]);
    expect(p.promotions).toEqual([{ promotion_id: 'promotion:p', name: 'Diskon 10%', amount: 6000 }]);
    expect(p.subtotal).toBe(65000);
    expect(p.service_charge).toBe(2950);
    expect(p.tax).toBe(6195);
    expect(p.total).toBe(65000 - 6000 + 2950 + 6195);
    expect(p.items[0]!.note).toBe('tanpa sambal');
  });

  it('ignores promotions outside their window or switched off, and caps rupiah-off at the line', () => {
    expect(priceCart([geprek], [promo({ starts_at: '2026-06-01T00:00:00.000Z' })], NOW, rates).discount_total).toBe(0);
    expect(priceCart([geprek], [promo({ active: false })], NOW, rates).discount_total).toBe(0);
    expect(priceCart([teh], [promo({ kind: 'amount', value: 9000, product_ids: [] })], NOW, rates).discount_total).toBe(5000);
  });

  it('builds an order the structure validator accepts', () => {
    const config = {
      tenant: 'yogya',
      store: 'bsd',
      code: 'KIOSK-GEPREK-01',
      brand: 'AYAMGEPREK',
      type: 'kiosk',
      deviceId: 'dev_0123456789ab',
    } as TerminalConfig;
    const order = buildOrder(
      config,
      priceCart([geprek, teh], [promo({})], NOW, rates),
      { number: 'A1-0007', service: 'takeaway', customerName: 'Rina', payAt: 'cashier' },
      NOW,
    );
    expect(structureErrors(order as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('numbers orders per terminal prefix', () => {
    expect(formatOrderNumber('A1', 42)).toBe('A1-0042');
    expect(sequenceOf('A1-0042', 'A1')).toBe(42);
    expect(sequenceOf('N1-0042', 'A1')).toBe(0);
    expect(formatOrderNumber('A1', 12345)).toBe('A1-12345');
  });
});
