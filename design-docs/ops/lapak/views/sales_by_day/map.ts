// [UTC day, brand, pay_at] -> total, reduced with _stats for counts and sums.
export default function (doc: Record<string, unknown>): void {
  if (doc.type === 'order' && typeof doc.created_at === 'string') emit([doc.created_at.slice(0, 10), doc.brand, doc.pay_at], doc.total);
}
