// What a terminal replicates from the catalog: its own brand's categories, products and
// promotions, and the brand itself (req.query.brand). Deletions pass so that removed items
// disappear from the device too.
export default function (doc: Record<string, unknown>, req: { query: Record<string, string> }): boolean {
  if (doc._deleted) return true;
  const brand = req.query.brand;
  return doc.brand === brand || doc._id === `brand:${brand}`;
}
