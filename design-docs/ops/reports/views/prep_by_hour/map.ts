// [UTC hour, brand] -> seconds from order to "ready", reduced with _stats. Order ids are
// UUIDv7, whose first 48 bits are the order's creation time in milliseconds, so the ready
// event alone gives the preparation time without a join.
const ORDER_UUID = /^order:([0-9a-f]{8})-([0-9a-f]{4})-7/;
const MAX_SECONDS = 4 * 3600;

export default function (doc: Record<string, unknown>): void {
  if (doc.type !== 'ticket_event' || doc.status !== 'ready' || typeof doc.created_at !== 'string') return;
  const m = ORDER_UUID.exec(String(doc.order_id));
  if (!m) return;
  const seconds = Math.round((Date.parse(doc.created_at) - parseInt(m[1]! + m[2]!, 16)) / 1000);
  // A recalled and re-bumped ticket, or a device clock far off, is not a preparation time.
  if (seconds >= 0 && seconds <= MAX_SECONDS) emit([doc.created_at.slice(0, 13), doc.brand], seconds);
}
