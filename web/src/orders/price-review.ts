// Seed scenario 3: the catalog changed a price before this terminal heard of it, and an
// order was taken at the old price. The order keeps the price the customer saw (it is
// immutable); it is flagged for accounting review instead.
import type { Order, Product } from '../../../design-docs/lib/types';

export interface PriceOverride {
  order: Order;
  detail: string;
}

/** Orders of `terminal` that charged a price the catalog had already changed when they were made. */
export function priceOverrides(
  orders: Order[],
  products: Record<string, Product>,
  terminal: string,
  alreadyFlagged: (orderId: string) => boolean,
): PriceOverride[] {
  const out: PriceOverride[] = [];
  for (const o of orders) {
    if (o.terminal !== terminal || alreadyFlagged(o._id)) continue;
    const changed = o.items.filter((i) => {
      const p = products[i.product_id];
      return p !== undefined && p.price !== i.unit_price && p.updated_at < o.created_at;
    });
    if (changed.length)
      out.push({
        order: o,
        detail: changed
          .map(
            (i) =>
              `${i.name}: charged ${i.unit_price}, catalog ${products[i.product_id]!.price} since ${products[i.product_id]!.updated_at}`,
          )
          .join('; '),
      });
  }
  return out;
}
