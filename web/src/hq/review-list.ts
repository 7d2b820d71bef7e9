// Flagged orders of every store, newest first: price overrides, number collisions, the store
// auditor's findings (facts that do not fit their order, prices not from the catalog), voids,
// refunds, and documents a replication conflict touched (the ops `reports/flags` view).
import { dbName } from '../../../design-docs/lib/names';
import type { Order } from '../../../design-docs/lib/types';
import { centralDb } from './central-db';
import type { HqStore } from './stores';

export interface Flag {
  store: HqStore;
  at: string;
  kind: string;
  detail: string;
  terminal: string;
  amount?: number;
  /** Audit findings only: the codes of the failed checks (couch/agent/order-audit.ts). */
  checks?: string[];
  order: Pick<Order, '_id' | 'number' | 'total' | 'brand' | 'channel' | 'created_at'> | null;
}

interface FlagValue {
  kind: string;
  order_id?: string;
  detail?: string;
  terminal?: string;
  amount?: number;
  checks?: string[];
}

async function storeFlags(tenant: string, store: HqStore, since: string): Promise<Flag[]> {
  const db = centralDb(dbName.ops(tenant, store.store));
  const res = await db.query('reports/flags', { startkey: since, endkey: '\ufff0' });
  const rows = res.rows as unknown as { key: string; value: FlagValue }[];
  const ids = [...new Set(rows.flatMap((r) => (r.value.order_id ? [r.value.order_id] : [])))];
  const orders = new Map<string, Order>();
  if (ids.length) {
    const got = await db.allDocs({ keys: ids, include_docs: true });
    for (const r of got.rows) if ('doc' in r && r.doc) orders.set(r.id, r.doc as unknown as Order);
  }
  return rows.map((r) => {
    const o = r.value.order_id ? orders.get(r.value.order_id) : undefined;
    return {
      store,
      at: r.key,
      kind: r.value.kind,
      detail: r.value.detail ?? '',
      terminal: r.value.terminal ?? '',
      amount: r.value.amount,
      ...(Array.isArray(r.value.checks) ? { checks: r.value.checks } : {}),
      order: o ? { _id: o._id, number: o.number, total: o.total, brand: o.brand, channel: o.channel, created_at: o.created_at } : null,
    };
  });
}

export async function loadFlags(tenant: string, stores: HqStore[], since: string): Promise<Flag[]> {
  const all = (await Promise.all(stores.map((s) => storeFlags(tenant, s, since)))).flat();
  return all.sort((a, b) => b.at.localeCompare(a.at));
}
