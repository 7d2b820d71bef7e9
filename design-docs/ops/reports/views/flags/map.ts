// What HQ should review, by time: review flags (price override, number collision, the store
// auditor's findings), voids,
// refunds, and any document a replication conflict touched.
export default function (doc: Record<string, unknown>): void {
  const at = typeof doc.created_at === 'string' ? doc.created_at : '';
  if (doc.type === 'review') {
    const value: Record<string, unknown> = { kind: doc.reason, order_id: doc.order_id, detail: doc.detail, terminal: doc.terminal };
    // The store auditor's flags say which checks failed (couch/agent/order-audit.ts), for HQ to show in its language.
    if (doc.reason === 'audit') {
      value.checks = doc.checks;
      value.fact_id = doc.fact_id;
    }
    emit(at, value);
  }
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
