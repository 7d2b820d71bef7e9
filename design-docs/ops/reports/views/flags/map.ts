// What HQ should review, by time: review flags (price override, number collision), voids,
// refunds, and any document a replication conflict touched.
export default function (doc: Record<string, unknown>): void {
  const at = typeof doc.created_at === 'string' ? doc.created_at : '';
  if (doc.type === 'review') emit(at, { kind: doc.reason, order_id: doc.order_id, detail: doc.detail, terminal: doc.terminal });
  if (doc.type === 'void') emit(at, { kind: 'void', order_id: doc.order_id, detail: doc.reason, terminal: doc.terminal });
  if (doc.type === 'refund')
    emit(at, { kind: 'refund', order_id: doc.order_id, detail: doc.reason, amount: doc.amount, terminal: doc.terminal });
  const conflicts = doc._conflicts;
  if (Array.isArray(conflicts) && conflicts.length > 0)
    emit(at, {
      kind: 'conflict',
      order_id: doc.type === 'order' ? doc._id : doc.order_id,
      detail: `${String(doc.type)} ${String(doc._id)}: ${conflicts.length} conflicting revision(s)`,
      terminal: doc.terminal,
    });
}
