// Menu order for a brand: [brand, category_id, sort, name].
export default function (doc: Record<string, unknown>): void {
  if (doc.type === 'product') emit([doc.brand, doc.category_id, doc.sort, doc.name], doc.price);
}
