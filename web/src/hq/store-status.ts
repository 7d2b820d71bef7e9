// What HQ knows about one store, from central's copies of its databases: the replication
// states its agent reports, its terminals with their last heartbeat, and its last order.
import { dbName } from '../../../design-docs/lib/names';
import {
  INTEGRITY_ALERT_PREFIX,
  RECONCILE_REPORT_PREFIX,
  type Binding,
  type Heartbeat,
  type IntegrityAlert,
  type ReconcileReport,
  type ReplicationStatus,
  type StoreDoc,
  type Terminal,
} from '../../../design-docs/lib/types';
import { centralDb, docsSince, docsWithPrefix } from './central-db';
import type { HqStore } from './stores';

export type { ReplicationStatus };

export const ONLINE_WITHIN_MS = 5 * 60_000;
/** How far back the stores page shows what the store agent's guards repaired. */
export const REPAIRS_SHOWN_MS = 7 * 24 * 60 * 60_000;

export interface TerminalRow {
  code: string;
  name: string;
  type: Terminal['terminal_type'];
  brand: string;
  active: boolean;
  orderPrefix: string;
  device: string | null;
  assignedAt: string | null;
  lastSeen: string | null;
  online: boolean;
}

export interface StoreStatus {
  store: HqStore;
  storeDoc: StoreDoc | null;
  replications: ReplicationStatus[];
  terminals: TerminalRow[];
  lastOrderAt: string | null;
  /** The integrity guard's alerts and anti-entropy's reports of the last week, oldest first. */
  integrity: IntegrityAlert[];
  reconciled: ReconcileReport[];
}

export async function loadTerminals(
  tenant: string,
  store: string,
  now = Date.now(),
): Promise<{ storeDoc: StoreDoc | null; terminals: TerminalRow[] }> {
  const res = await centralDb(dbName.directory(tenant, store)).allDocs({ include_docs: true });
  const docs = res.rows.flatMap((r) => (r.doc ? [r.doc as unknown as Record<string, unknown>] : []));
  const of = <T>(type: string) => docs.filter((d) => d.type === type) as unknown as T[];
  const bindings = new Map(of<Binding>('binding').map((b) => [b.terminal, b]));
  const beats = new Map(of<Heartbeat>('heartbeat').map((h) => [h.terminal, h]));
  const terminals = of<Terminal>('terminal')
    .map((t) => {
      const lastSeen = beats.get(t.code)?.last_seen ?? null;
      return {
        code: t.code,
        name: t.name,
        type: t.terminal_type,
        brand: t.brand,
        active: t.active,
        orderPrefix: t.order_prefix,
        device: bindings.get(t.code)?.device_id ?? null,
        assignedAt: bindings.get(t.code)?.assigned_at ?? null,
        lastSeen,
        online: lastSeen !== null && now - Date.parse(lastSeen) < ONLINE_WITHIN_MS,
      };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
  return { storeDoc: (of<StoreDoc>('store')[0] ?? null) as StoreDoc | null, terminals };
}

async function lastOrderAt(tenant: string, store: string): Promise<string | null> {
  const res = await centralDb(dbName.ops(tenant, store)).query('reports/sales_by_hour', {
    reduce: false,
    descending: true,
    limit: 1,
    include_docs: true,
  });
  const doc = res.rows[0]?.doc as unknown as { created_at?: string } | undefined;
  return doc?.created_at ?? null;
}

export async function loadStoreStatus(tenant: string, store: HqStore, now = Date.now()): Promise<StoreStatus> {
  const control = centralDb(dbName.control(tenant, store.store));
  const since = new Date(now - REPAIRS_SHOWN_MS).toISOString();
  const [dir, replications, last, integrity, reconciled] = await Promise.all([
    loadTerminals(tenant, store.store, now),
    docsWithPrefix<ReplicationStatus>(control, 'replication_status:').catch(() => []),
    lastOrderAt(tenant, store.store).catch(() => null),
    docsSince<IntegrityAlert>(control, INTEGRITY_ALERT_PREFIX, since).catch(() => []),
    docsSince<ReconcileReport>(control, RECONCILE_REPORT_PREFIX, since).catch(() => []),
  ]);
  return { store, storeDoc: dir.storeDoc, replications, terminals: dir.terminals, lastOrderAt: last, integrity, reconciled };
}
