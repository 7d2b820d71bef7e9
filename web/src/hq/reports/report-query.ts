// Reads the report views of each store's operations database at central.
import { dbName } from '../../../../design-docs/lib/names';
import { factMatchesOrder, type FactRef } from '../../../../design-docs/lib/fact-match';
import type { Order } from '../../../../design-docs/lib/types';
import { centralDb } from '../central-db';
import { businessDayEnds, type HqStore } from '../stores';
import { buildReport, type IgnoredFact, type SalesReport, type StoreRows, type VoidedOrder } from './report-build';
import { utcHourRange } from './zoned';

type Db = ReturnType<typeof centralDb>;

async function grouped<K, V>(db: Db, view: string, level: number, start: string, end: string) {
  const res = await db.query(`reports/${view}`, { group_level: level, startkey: [start], endkey: [end, {}] });
  return res.rows as unknown as { key: K; value: V }[];
}

type FactValue = FactRef & { order_id: string; brand: string; method?: string; amount?: number; seconds?: number };

/** The orders named, by id (missing ones absent), in batches a server takes in one request. */
async function ordersById(db: Db, ids: string[]): Promise<Map<string, Order>> {
  const out = new Map<string, Order>();
  for (let i = 0; i < ids.length; i += 500) {
    const got = await db.allDocs({ keys: ids.slice(i, i + 500), include_docs: true });
    for (const r of got.rows) if ('doc' in r && r.doc) out.set(r.id, r.doc as unknown as Order);
  }
  return out;
}

/**
 * Joins the range's payments, refunds and ready events, and the voids written since, to their orders: orders voided
 * (by a void that matches them) that were placed within the range, and the facts the sums
 * must not count because they do not match their order.
 */
async function joinFacts(db: Db, start: string, end: string): Promise<{ voided: VoidedOrder[]; ignored: IgnoredFact[] }> {
  const res = await db.query('reports/facts_by_hour', { startkey: [start], endkey: [end, {}] });
  const facts = res.rows as unknown as { key: [string, string]; value: FactValue }[];
  // Voids written up to now may void orders placed in the range.
  const found = await db.find({ selector: { type: 'void', created_at: { $gte: `${start}:00:00` } }, limit: 10000 });
  const voids = found.docs as unknown as FactValue[];
  const orders = await ordersById(db, [...new Set([...facts.map((r) => r.value), ...voids].map((f) => f.order_id))]);
  const voidedIds = new Set(voids.filter((v) => factMatchesOrder(v, orders.get(v.order_id))).map((v) => v.order_id));
  const voided = [...voidedIds].flatMap((id) => {
    const o = orders.get(id)!;
    if (o.created_at.slice(0, 13) < start || o.created_at.slice(0, 13) > end) return [];
    return [{ created_at: o.created_at, brand: o.brand, total: o.total, items: o.items }];
  });
  const ignored = facts.flatMap(({ key, value: v }): IgnoredFact[] => {
    const type = key[1];
    if (factMatchesOrder(v, orders.get(v.order_id))) return [];
    return [{ type: type as IgnoredFact['type'], brand: v.brand, method: v.method, amount: v.amount, seconds: v.seconds }];
  });
  return { voided, ignored };
}

async function storeRows(tenant: string, store: HqStore, from: string, to: string): Promise<StoreRows> {
  const db = centralDb(dbName.ops(tenant, store.store));
  const endsHour = await businessDayEnds(tenant, store.store);
  const { start, end } = utcHourRange(from, to, store.timezone, endsHour);
  const [sales, payments, items, prep, joined] = await Promise.all([
    grouped<[string, string], { count: number; sum: number }>(db, 'sales_by_hour', 2, start, end),
    grouped<[string, string, string], { count: number; sum: number }>(db, 'payments_by_hour', 3, start, end),
    grouped<[string, string, string, string], [number, number]>(db, 'items_by_hour', 4, start, end),
    grouped<[string, string], { count: number; sum: number }>(db, 'prep_by_hour', 2, start, end),
    joinFacts(db, start, end),
  ]);
  return { store: store.store, timeZone: store.timezone, endsHour, sales, payments, items, prep, ...joined };
}

/** Sales from local day `from` to `to` (inclusive, YYYY-MM-DD) of the given stores. */
export async function loadReport(tenant: string, stores: HqStore[], from: string, to: string): Promise<SalesReport> {
  return buildReport(await Promise.all(stores.map((s) => storeRows(tenant, s, from, to))));
}
