// HQ edits the tenant catalog at central; it reaches every store by replication. Each save
// is checked with the same structure rules the server's validate function runs, so a
// mistake is explained before it is sent.
import { dbName } from '../../../../design-docs/lib/names';
import { structureErrors } from '../../../../design-docs/lib/structure';
import { SCHEMA_VERSION, type CatalogBrand, type Category, type Product, type Promotion } from '../../../../design-docs/lib/types';
import { centralDb } from '../central-db';

export interface Catalog {
  brands: CatalogBrand[];
  categories: Category[];
  products: Product[];
  promotions: Promotion[];
}

export type CatalogDoc = CatalogBrand | Category | Product | Promotion;

export class CatalogInvalid extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

export async function loadCatalog(tenant: string): Promise<Catalog> {
  const res = await centralDb(dbName.catalog(tenant)).allDocs({ include_docs: true });
  const docs = res.rows.flatMap((r) => (r.doc && !r.id.startsWith('_design/') ? [r.doc as unknown as CatalogDoc] : []));
  const of = <T extends CatalogDoc>(type: T['type']) => docs.filter((d) => d.type === type) as T[];
  const bySort = (a: { sort: number; name: string }, b: { sort: number; name: string }) => a.sort - b.sort || a.name.localeCompare(b.name);
  return {
    brands: of<CatalogBrand>('brand').sort((a, b) => a.name.localeCompare(b.name)),
    categories: of<Category>('category').sort(bySort),
    products: of<Product>('product').sort(bySort),
    promotions: of<Promotion>('promotion').sort((a, b) => b.starts_at.localeCompare(a.starts_at)),
  };
}

/** A readable, stable id part from a name: "Es Teh Manis" -> "es-teh-manis-3f9a". */
function newKey(brand: string, name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 30);
  const tail = Array.from(crypto.getRandomValues(new Uint8Array(2)), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${brand.toLowerCase()}-${slug || 'item'}-${tail}`;
}

/** Saves one catalog document and returns it with its new revision; a new one (empty `_id`) is named after its brand and name. */
export async function saveCatalogDoc<T extends CatalogDoc>(tenant: string, doc: T): Promise<T> {
  const _id = doc._id || `${doc.type}:${newKey('brand' in doc ? doc.brand : doc.code, doc.name)}`;
  const next = { ...doc, _id, tenant, schema: SCHEMA_VERSION, updated_at: new Date().toISOString() } as T;
  const problems = structureErrors(next as unknown as Record<string, unknown>);
  if (problems.length) throw new CatalogInvalid(problems);
  const res = await centralDb(dbName.catalog(tenant)).put(next as unknown as PouchDB.Core.PutDocument<object>);
  return { ...next, _rev: res.rev };
}

export async function removeCatalogDoc(tenant: string, doc: CatalogDoc): Promise<void> {
  await centralDb(dbName.catalog(tenant)).remove(doc._id, doc._rev!);
}

/** Replaces a product's photo: the kiosk shows a product's first attachment, so the old ones go. */
export async function saveProductPhoto(tenant: string, product: Product, photo: Blob): Promise<Product> {
  const db = centralDb(dbName.catalog(tenant));
  const current = (await db.get(product._id)) as unknown as Product;
  const next: Product = {
    ...current,
    updated_at: new Date().toISOString(),
    _attachments: { 'photo.jpg': { content_type: photo.type || 'image/jpeg', data: photo } },
  };
  const res = await db.put(next as unknown as PouchDB.Core.PutDocument<object>);
  return (await db.get(product._id, { rev: res.rev })) as unknown as Product;
}
