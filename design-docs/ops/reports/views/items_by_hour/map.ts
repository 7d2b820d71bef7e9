// [UTC hour, brand, product id, name] -> [quantity, line total], reduced with _sum (element-wise).
export default function (doc: Record<string, unknown>): void {
  if (doc.type !== 'order' || typeof doc.created_at !== 'string' || !Array.isArray(doc.items)) return;
  const hour = doc.created_at.slice(0, 13);
  for (const item of doc.items as Record<string, unknown>[]) {
    if (typeof item.qty === 'number' && typeof item.line_total === 'number')
      emit([hour, doc.brand, item.product_id, item.name], [item.qty, item.line_total]);
  }
}
