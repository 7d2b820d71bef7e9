// [UTC hour, brand] -> order total, reduced with _stats (count = orders, sum = rupiah).
export default function (doc: Record<string, unknown>): void {
  if (doc.type === 'order' && typeof doc.created_at === 'string' && typeof doc.total === 'number')
    emit([doc.created_at.slice(0, 13), doc.brand], doc.total);
}
