// Seed scenario 4: two orders of the store got the same number on the same business day
// (a tablet re-paired, or restored from a backup, started its sequence again before it had
// the old tablet's orders). Neither order is renamed: the number was already called out. The
// later one is flagged for review, once, under an id every device derives the same way, so
// two devices noticing the same collision write one document.
import type { Order } from './types';

export interface NumberCollision {
  /** The later of the two orders (by id: UUIDv7 ids sort by creation time). */
  order: Order;
  /** The first order that had this number that day. */
  first: Order;
  reviewId: string;
  detail: string;
}

/** The review id of a collision: one per later order, the same on every device. */
export function collisionReviewId(order: Pick<Order, '_id'>): string {
  // Review ids are `review:<key>` with a key of at most 64 characters; app-made order keys are 36.
  return `review:nc-${order._id.slice('order:'.length).slice(0, 61)}`;
}

/** Business day of an order as the device's clock (the store's time zone) counts it. */
function localDay(iso: string): string {
  return new Date(iso).toLocaleDateString('en-CA');
}

function describe(o: Order): string {
  return `${o._id} (${o.terminal}, device ${o.device_id}, ${o.created_at})`;
}

/** Orders that reuse a number another order of the same store already had that business day. */
export function numberCollisions(
  orders: Order[],
  alreadyFlagged: (reviewId: string) => boolean,
  dayOf: (iso: string) => string = localDay,
): NumberCollision[] {
  const groups = new Map<string, Order[]>();
  for (const o of orders) {
    const key = `${o.tenant}/${o.store}/${dayOf(o.created_at)}/${o.number}`;
    const group = groups.get(key);
    if (group) group.push(o);
    else groups.set(key, [o]);
  }
  const out: NumberCollision[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => (a._id < b._id ? -1 : 1));
    const first = group[0]!;
    for (const later of group.slice(1)) {
      const reviewId = collisionReviewId(later);
      if (alreadyFlagged(reviewId)) continue;
      out.push({
        order: later,
        first,
        reviewId,
        detail: `number ${later.number} used twice: ${describe(first)} and ${describe(later)}`,
      });
    }
  }
  return out;
}

/** Ids of orders whose number another order shares that day, so screens can tell them apart. */
export function collidingOrderIds(orders: Order[], dayOf: (iso: string) => string = localDay): Set<string> {
  const seen = new Map<string, string>();
  const out = new Set<string>();
  for (const o of orders) {
    const key = `${o.tenant}/${o.store}/${dayOf(o.created_at)}/${o.number}`;
    const other = seen.get(key);
    if (other === undefined) seen.set(key, o._id);
    else out.add(other).add(o._id);
  }
  return out;
}

/** A short tag that tells two orders with one number apart: the end of the order's id. */
export function orderTag(o: Pick<Order, '_id'>): string {
  return o._id.slice(-4).toUpperCase();
}
