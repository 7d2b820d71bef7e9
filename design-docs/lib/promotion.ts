// When a promotion applies and how much it takes off one order line. The kiosk and cashier
// price carts with it (web/src/orders/pricing.ts) and the store agent's auditor re-checks
// saved orders with it (couch/agent/order-audit.ts), so both follow the same rules.
import type { Product, Promotion } from './types';

/** What a promotion needs to know of one line. */
export interface PromotionLine {
  product: Pick<Product, '_id' | 'brand'>;
  qty: number;
}

export function promotionActive(p: Promotion, nowIso: string): boolean {
  return p.active && p.starts_at <= nowIso && nowIso < p.ends_at;
}

/** The discount one promotion gives one line: a percent of the line, or rupiah off each unit. Never more than the line. */
export function promotionDiscount(p: Promotion, line: PromotionLine, total: number): number {
  if (p.brand !== line.product.brand) return 0;
  if (p.product_ids.length > 0 && !p.product_ids.includes(line.product._id)) return 0;
  const off = p.kind === 'percent' ? Math.floor((total * p.value) / 100) : p.value * line.qty;
  return Math.min(off, total);
}
