// One rule for every reader: a fact (payment, void, refund, ticket event) counts for an order
// only when that order exists and is of the same tenant, store and brand as the fact's writer.
// validate_doc_update sees one document at a time and cannot check this; the screens, HQ's
// reports and the store agent's auditor all use this predicate, so they agree on what counts.
import type { Order } from './types';

export type FactMismatch = 'order_missing' | 'order_store' | 'order_brand' | 'order_total';

/** What a reader needs of a fact. Extra fields are allowed; `order_brand` / `order_store`, when a writer records them, must agree too. */
export interface FactRef {
  order_id?: unknown;
  tenant?: unknown;
  store?: unknown;
  brand?: unknown;
  order_brand?: unknown;
  order_store?: unknown;
  order_total?: unknown;
}

type OrderRef = Pick<Order, '_id' | 'type' | 'tenant' | 'store' | 'brand' | 'total'> & { _deleted?: boolean };

/** Why `fact` does not count for `order`, or null when it does. */
export function factMismatch(fact: FactRef, order: Partial<OrderRef> | null | undefined): FactMismatch | null {
  if (!order || order.type !== 'order' || order._deleted === true || order._id !== fact.order_id) return 'order_missing';
  if (order.tenant !== fact.tenant || order.store !== fact.store) return 'order_store';
  if (fact.order_store !== undefined && fact.order_store !== order.store) return 'order_store';
  if (order.brand !== fact.brand) return 'order_brand';
  if (fact.order_brand !== undefined && fact.order_brand !== order.brand) return 'order_brand';
  // A refund bounded by the order's total (validate checks the amount against it) must name the real one.
  if (fact.order_total !== undefined && fact.order_total !== order.total) return 'order_total';
  return null;
}

export function factMatchesOrder(fact: FactRef, order: Partial<OrderRef> | null | undefined): boolean {
  return factMismatch(fact, order) === null;
}

/** The facts that count for `order`, out of those that name it. */
export function matchingFacts<T extends FactRef>(facts: T[] | undefined, order: Partial<OrderRef> | null | undefined): T[] {
  return (facts ?? []).filter((f) => factMatchesOrder(f, order));
}
