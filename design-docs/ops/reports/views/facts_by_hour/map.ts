// [UTC hour, type] -> what HQ's reports need to join a payment, refund or "ready" event
// to its order (report-query.ts): a fact of another brand or store than its order, or for a
// missing order, is taken back out of the totals the other views sum. No reduce: one row each.
const ORDER_UUID = /^order:([0-9a-f]{8})-([0-9a-f]{4})-7/;
const MAX_SECONDS = 4 * 3600;

export default function (doc: Record<string, unknown>): void {
  const t = doc.type;
  if (t !== 'payment' && t !== 'refund' && !(t === 'ticket_event' && doc.status === 'ready')) return;
  if (typeof doc.created_at !== 'string') return;
  const value: Record<string, unknown> = { order_id: doc.order_id, tenant: doc.tenant, store: doc.store, brand: doc.brand };
  if (doc.order_brand !== undefined) value.order_brand = doc.order_brand;
  if (doc.order_store !== undefined) value.order_store = doc.order_store;
  if (t === 'payment' || t === 'refund') {
    value.method = doc.method;
    value.amount = doc.amount;
  }
  if (t === 'ticket_event') {
    // The same preparation time prep_by_hour sums, so it can be taken back out exactly.
    const m = ORDER_UUID.exec(String(doc.order_id));
    const seconds = m ? Math.round((Date.parse(doc.created_at) - parseInt(m[1]! + m[2]!, 16)) / 1000) : -1;
    if (seconds >= 0 && seconds <= MAX_SECONDS) value.seconds = seconds;
  }
  emit([doc.created_at.slice(0, 13), t], value);
}
