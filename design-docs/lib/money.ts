// Order arithmetic in integer rupiah. The app prices a cart with these functions and the
// ops validate function re-checks a saved order with the same ones, so a client that
// edits totals by hand is refused.
import type { OrderItem, OrderModifier } from './types';

export function lineTotal(item: Pick<OrderItem, 'unit_price' | 'qty'> & { modifiers: Pick<OrderModifier, 'price'>[] }): number {
  let unit = item.unit_price;
  for (const m of item.modifiers) unit += m.price;
  return unit * item.qty;
}

/** Basis points (1/100 of a percent) applied to rupiah, rounded half up to a whole rupiah. */
export function applyRate(amount: number, rateBp: number): number {
  return Math.floor((amount * rateBp + 5000) / 10000);
}

export interface Totals {
  subtotal: number;
  discount_total: number;
  service_charge: number;
  tax: number;
  total: number;
}

/** Service charge is on the discounted subtotal; tax is on the discounted subtotal plus service (Indonesian PB1 practice). */
export function orderTotals(lines: number[], discount: number, serviceRateBp: number, taxRateBp: number): Totals {
  let subtotal = 0;
  for (const l of lines) subtotal += l;
  const discount_total = Math.min(discount, subtotal);
  const base = subtotal - discount_total;
  const service_charge = applyRate(base, serviceRateBp);
  const tax = applyRate(base + service_charge, taxRateBp);
  return { subtotal, discount_total, service_charge, tax, total: base + service_charge + tax };
}

/** Rupiah for people: Rp 25.000 (dot thousands, no decimals). */
export function formatRupiah(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}Rp ${digits}`;
}
