// Prices a cart the way the customer sees it: catalog price plus modifiers, the best
// promotion per line, then service charge and tax on the store's rates. Pure, so the
// kiosk, the cashier and the tests get the same rupiah.
import { lineTotal, orderTotals, type Totals } from '../../../design-docs/lib/money';
import { promotionActive, promotionDiscount as lineDiscount } from '../../../design-docs/lib/promotion';
import type { AppliedPromotion, OrderItem, OrderModifier, Product, Promotion } from '../../../design-docs/lib/types';

export interface CartLine {
  key: string;
  product: Pick<Product, '_id' | 'name' | 'price' | 'brand'>;
  modifiers: OrderModifier[];
  qty: number;
  note: string;
}

export interface PricedCart extends Totals {
  items: OrderItem[];
  promotions: AppliedPromotion[];
  /** Discount per cart line key, for showing it next to the line. */
  lineDiscounts: Record<string, number>;
}

export { promotionActive };

/** The discount one promotion gives one line: a percent of the line, or rupiah off each unit. Never more than the line. */
export function promotionDiscount(p: Promotion, line: CartLine, total: number): number {
  return lineDiscount(p, line, total);
}

export function priceCart(
  lines: CartLine[],
  promotions: Promotion[],
  nowIso: string,
  rates: { service_rate_bp: number; tax_rate_bp: number },
): PricedCart {
  const active = promotions.filter((p) => promotionActive(p, nowIso));
  const applied = new Map<string, AppliedPromotion>();
  const lineDiscounts: Record<string, number> = {};
  const items: OrderItem[] = lines.map((line) => {
    const item: OrderItem = {
      product_id: line.product._id,
      name: line.product.name,
      unit_price: line.product.price,
      qty: line.qty,
      modifiers: line.modifiers,
      line_total: 0,
      ...(line.note.trim() ? { note: line.note.trim().slice(0, 200) } : {}),
    };
    item.line_total = lineTotal(item);
    let best: { promo: Promotion; amount: number } | null = null;
    for (const p of active) {
      const amount = promotionDiscount(p, line, item.line_total);
      if (amount > 0 && (!best || amount > best.amount)) best = { promo: p, amount };
    }
    if (best) {
      lineDiscounts[line.key] = best.amount;
      const prev = applied.get(best.promo._id);
      applied.set(best.promo._id, { promotion_id: best.promo._id, name: best.promo.name, amount: (prev?.amount ?? 0) + best.amount });
    }
    return item;
  });
  const promos = [...applied.values()];
  const discount = promos.reduce((s, p) => s + p.amount, 0);
  const totals = orderTotals(
    items.map((i) => i.line_total),
    discount,
    rates.service_rate_bp,
    rates.tax_rate_bp,
  );
  return { items, promotions: promos, lineDiscounts, ...totals };
}
