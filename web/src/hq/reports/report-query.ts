// Reads the report views of each store's operations database at central.
import { dbName } from '../../../../design-docs/lib/names';
import type { Order, Void } from '../../../../design-docs/lib/types';
import { centralDb } from '../central-db';
import type { HqStore } from '../stores';
import { buildReport, type SalesReport, type StoreRows, type VoidedOrder } from './report-build';
import { utcHourRange } from './zoned';

type Db = ReturnType<typeof centralDb>;

async function grouped<K, V>(db: Db, view: string, level: number, start: string, end: string) {
  const res = await db.query(`reports/${view}`, { group_level: level, startkey: [start], endkey: [end, {}] });
  return res.rows as unknown as { key: K; value: V }[];
}

/** Orders voided (by void documents written up to now) that were placed within the range. */
async function voidedOrders(db: Db, start: string, end: string): Promise<VoidedOrder[]> {
  const found = await db.find({ selector: { type: 'void', created_at: { $gte: `${start}:00:00` } }, limit: 10000 });
  const ids = [...new Set((found.docs as unknown as Void[]).map((v) => v.order_id))];
  if (ids.length === 0) return [];
  const orders = await db.allDocs({ keys: ids, include_docs: true });
  return orders.rows.flatMap((r) => {
    const o = 'doc' in r ? (r.doc as unknown as Order | undefined) : undefined;
    if (!o || o.created_at.slice(0, 13) < start || o.created_at.slice(0, 13) > end) return [];
    return [{ created_at: o.created_at, brand: o.brand, total: o.total, items: o.items }];
  });
}

async function storeRows(tenant: string, store: HqStore, from: string, to: string): Promise<StoreRows> {
  const db = centralDb(dbName.ops(tenant, store.store));
  const { start, end } = utcHourRange(from, to, store.timezone);
  const [sales, payments, items, prep, voided] = await Promise.all([
    grouped<[string, string], { count: number; sum: number }>(db, 'sales_by_hour', 2, start, end),
    grouped<[string, string, string], { count: number; sum: number }>(db, 'payments_by_hour', 3, start, end),
    grouped<[string, string, string, string], [number, number]>(db, 'items_by_hour', 4, start, end),
    grouped<[string, string], { count: number; sum: number }>(db, 'prep_by_hour', 2, start, end),
    voidedOrders(db, start, end),
  ]);
  return { store: store.store, timeZone: store.timezone, sales, payments, items, prep, voided };
}

/** Sales from local day `from` to `to` (inclusive, YYYY-MM-DD) of the given stores. */
export async function loadReport(tenant: string, stores: HqStore[], from: string, to: string): Promise<SalesReport> {
  return buildReport(await Promise.all(stores.map((s) => storeRows(tenant, s, from, to))));
}
