// [UTC hour, method, "payment" | "refund"] -> amount, reduced with _stats.
export default function (doc: Record<string, unknown>): void {
  if ((doc.type === 'payment' || doc.type === 'refund') && typeof doc.created_at === 'string' && typeof doc.amount === 'number')
    emit([doc.created_at.slice(0, 13), doc.method, doc.type], doc.amount);
}
