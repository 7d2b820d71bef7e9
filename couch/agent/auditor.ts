// The store's trusted auditor. validate_doc_update sees one document at a time, so a terminal
// (or a tampered device with valid credentials) can write facts that are each well formed but
// wrong together: another brand's payment on an order, a refund beyond what was paid, a price
// the catalog never had. The agent follows the store's ops changes feed as server admin,
// checks each order and fact against the rest (order-audit.ts) and writes one review flag per
// bad fact, `review:audit-<type>-<fact key>`, which HQ lists with the other flags.
//
// Restart-safe: its checkpoint (`_local/lapak-auditor`: feed position and the facts still
// waiting for their order) is written after each batch; a batch replayed after a crash writes
// the same flag ids again, which the server refuses with 409, so nothing is flagged twice.
// Replication does not keep documents in order: a payment may arrive before its order. Such
// a fact waits (default 10 minutes, far longer than one replication batch) and is checked
// when the order arrives; only an order still missing after the wait is flagged.
import { dbName } from '../../design-docs/lib/names';
import {
  SCHEMA_VERSION,
  type Binding,
  type Order,
  type Payment,
  type Product,
  type Promotion,
  type Refund,
  type Review,
  type Staff,
  type StoreDoc,
  type Terminal,
} from '../../design-docs/lib/types';
import { CouchUnreachable, docPath, type CouchAdmin } from '../../scripts/lib/couch-admin';
import { FACT_TYPES, factFindings, orderFindings, writerFindings, type AuditWorld, type Fact, type Finding } from './order-audit';
import { Pause } from './pause';

export interface AuditorOptions {
  /** The store server, as its admin. */
  store: CouchAdmin;
  tenant: string;
  storeCode: string;
  /** How long a fact waits for its order before "order does not exist" is flagged (default 10 min). */
  missingOrderGraceMs?: number;
  /** Pause between reads of the changes feed once caught up (default 5 s); waiting facts are looked at after each read. */
  pollMs?: number;
  /** Changes read per batch (default 200): the checkpoint moves after each batch. */
  batch?: number;
  /** The `_local` document holding the checkpoint (default `_local/lapak-auditor`). */
  checkpointId?: string;
  log?: (line: string) => void;
}

export interface Auditor {
  stop(): void;
  /** Flags this auditor wrote (not counting those already there). */
  readonly flagged: number;
  /** Facts waiting for their order. */
  readonly pending: number;
  /** True once a poll found nothing new after the last batch was checkpointed. */
  readonly caughtUp: boolean;
}

interface Waiting {
  order_id: string;
  seen_at: number;
}

interface Checkpoint {
  _id: string;
  _rev?: string;
  since: string;
  pending: Record<string, Waiting>;
}

type Doc = Record<string, unknown> & { _id: string; type?: string; _deleted?: boolean };

/** `review:audit-<type>-<key>`: one flag per fact, the same id on every run. */
export function auditFlagId(factId: string): string {
  const colon = factId.indexOf(':');
  return `review:audit-${factId.slice(0, colon)}-${factId.slice(colon + 1)}`;
}

export function startAuditor(o: AuditorOptions): Auditor {
  const log = o.log ?? (() => {});
  const ops = dbName.ops(o.tenant, o.storeCode);
  const grace = o.missingOrderGraceMs ?? 600_000;
  const checkpointId = o.checkpointId ?? '_local/lapak-auditor';
  // `_local/` stays a path segment: servers do not all accept it encoded as %2F.
  const checkpointPath = `${encodeURIComponent(ops)}/_local/${encodeURIComponent(checkpointId.replace(/^_local\//, ''))}`;
  const pause = new Pause();
  let stopped = false;
  let flagged = 0;
  let caughtUp = false;
  let cp: Checkpoint = { _id: checkpointId, since: '0', pending: {} };

  async function get<T>(db: string, id: string): Promise<T | null> {
    const res = await o.store.request<T>('GET', docPath(db, id));
    if (res.status === 404) return null;
    if (res.status >= 400) throw new Error(`reading ${db}/${id}: HTTP ${res.status}`);
    return res.body;
  }

  async function allDocs<T>(db: string, prefix?: string): Promise<T[]> {
    const range = prefix
      ? `&startkey=${encodeURIComponent(JSON.stringify(prefix))}&endkey=${encodeURIComponent(JSON.stringify(`${prefix}\ufff0`))}`
      : '';
    const res = await o.store.request<{ rows?: { doc?: T }[] }>('GET', `${encodeURIComponent(db)}/_all_docs?include_docs=true${range}`);
    if (res.status >= 400) throw new Error(`reading ${db}: HTTP ${res.status}`);
    return (res.body.rows ?? []).flatMap((r) => (r.doc ? [r.doc] : []));
  }

  async function loadWorld(): Promise<AuditWorld> {
    const directory = dbName.directory(o.tenant, o.storeCode);
    const [catalog, terminals, bindings, staff, storeDoc] = await Promise.all([
      allDocs<Doc>(dbName.catalog(o.tenant)),
      allDocs<Terminal>(directory, 'terminal:'),
      allDocs<Binding>(directory, 'binding:'),
      allDocs<Staff>(directory, 'staff:'),
      get<StoreDoc>(directory, 'store'),
    ]);
    return {
      tenant: o.tenant,
      store: o.storeCode,
      products: new Map(catalog.filter((d) => d.type === 'product').map((d) => [d._id, d as unknown as Product])),
      promotions: new Map(catalog.filter((d) => d.type === 'promotion').map((d) => [d._id, d as unknown as Promotion])),
      storeDoc,
      terminals: new Map(terminals.map((t) => [t.code, t])),
      bindings: new Map(bindings.map((b) => [b.terminal, b])),
      staff: new Map(staff.map((p) => [p._id, p])),
    };
  }

  async function related<T>(type: string, orderId: string): Promise<T[]> {
    const res = await o.store.request<{ docs?: T[] }>('POST', `${encodeURIComponent(ops)}/_find`, {
      selector: { type, order_id: orderId },
      limit: 10000,
    });
    if (res.status >= 400) throw new Error(`finding ${type} of ${orderId}: HTTP ${res.status}`);
    return res.body.docs ?? [];
  }

  async function flag(fact: Fact, findings: Finding[]): Promise<void> {
    if (findings.length === 0) return;
    const checks = [...new Set(findings.map((f) => f.check))];
    const detail = `${fact.type} ${fact._id}: ${findings.map((f) => f.detail).join('; ')}`;
    const review: Review = {
      _id: auditFlagId(fact._id),
      type: 'review',
      schema: SCHEMA_VERSION,
      tenant: fact.tenant,
      store: fact.store,
      terminal: fact.terminal,
      terminal_type: fact.terminal_type,
      brand: fact.brand,
      device_id: fact.device_id,
      created_at: new Date().toISOString(),
      order_id: fact.type === 'order' ? fact._id : String(fact.order_id),
      reason: 'audit',
      detail: detail.length > 400 ? `${detail.slice(0, 397)}...` : detail,
      fact_id: fact._id,
      checks,
    };
    const put = await o.store.request('PUT', docPath(ops, review._id), review);
    if (put.status === 409) return; // flagged before (a replayed batch, or a restart from scratch)
    if (put.status >= 400) throw new Error(`writing ${review._id}: HTTP ${put.status} ${JSON.stringify(put.body)}`);
    flagged += 1;
    log(`audit: flagged ${fact._id} (${checks.join(', ')})`);
  }

  async function auditFact(fact: Fact, world: AuditWorld, orderMissingIsFinal: boolean): Promise<void> {
    const writer = writerFindings(fact, world);
    if (fact.type === 'order') return flag(fact, [...writer, ...orderFindings(fact as unknown as Order, world)]);
    const orderId = String(fact.order_id);
    const order = await get<Order>(ops, orderId);
    if (!order || order.type !== 'order') {
      if (!orderMissingIsFinal) {
        cp.pending[fact._id] ??= { order_id: orderId, seen_at: Date.now() };
        return;
      }
      delete cp.pending[fact._id];
      return flag(fact, [
        ...writer,
        { check: 'order_missing', detail: `order ${orderId} did not arrive within ${Math.round(grace / 1000)} s` },
      ]);
    }
    delete cp.pending[fact._id];
    const [payments, refunds] = await Promise.all([related<Payment>('payment', orderId), related<Refund>('refund', orderId)]);
    return flag(fact, [...writer, ...factFindings(fact, order, { payments, refunds }, world)]);
  }

  async function auditBatch(docs: Doc[]): Promise<void> {
    const facts = docs.filter((d) => d._deleted !== true && FACT_TYPES.includes(String(d.type))) as unknown as Fact[];
    if (facts.length === 0 && Object.keys(cp.pending).length === 0) return;
    const world = await loadWorld();
    for (const fact of facts) {
      if (stopped) return;
      await auditFact(fact, world, false);
      if (fact.type !== 'order') continue;
      // Facts that arrived before this order are checked now.
      for (const [id, w] of Object.entries(cp.pending)) {
        if (w.order_id !== fact._id) continue;
        const waiting = await get<Fact>(ops, id);
        if (waiting) await auditFact(waiting, world, false);
        else delete cp.pending[id];
      }
    }
    for (const [id, w] of Object.entries(cp.pending)) {
      if (stopped) return;
      if (Date.now() - w.seen_at < grace) continue;
      const waiting = await get<Fact>(ops, id);
      if (waiting) await auditFact(waiting, world, true);
      else delete cp.pending[id];
    }
  }

  async function saveCheckpoint(): Promise<void> {
    const put = await o.store.request<{ rev?: string }>('PUT', checkpointPath, cp);
    if (put.status === 409) {
      // Another writer (a second agent by mistake): take its revision and write ours over it.
      const cur = await o.store.request<{ _rev?: string }>('GET', checkpointPath);
      cp._rev = cur.body._rev;
      return saveCheckpoint();
    }
    if (put.status >= 400) throw new Error(`writing the audit checkpoint: HTTP ${put.status}`);
    cp._rev = put.body.rev;
  }

  const loop = async () => {
    let loaded = false;
    while (!stopped) {
      try {
        if (!loaded) {
          const res = await o.store.request<Checkpoint>('GET', checkpointPath);
          if (res.status === 200) cp = { ...cp, ...res.body, pending: res.body.pending ?? {} };
          else if (res.status !== 404) throw new Error(`reading the audit checkpoint: HTTP ${res.status}`);
          loaded = true;
        }
        const res = await o.store.request<{ results?: { doc?: Doc }[]; last_seq?: unknown }>(
          'GET',
          `${encodeURIComponent(ops)}/_changes?include_docs=true&limit=${o.batch ?? 200}&since=${encodeURIComponent(cp.since)}`,
        );
        if (res.status === 404) {
          await pause.for(5000); // not provisioned yet
          continue;
        }
        if (res.status >= 400) throw new Error(`HTTP ${res.status}`);
        const results = res.body.results ?? [];
        const before = JSON.stringify(cp.pending);
        await auditBatch(results.flatMap((r) => (r.doc ? [r.doc] : [])));
        if (stopped) return;
        const since = String(res.body.last_seq ?? cp.since);
        if (results.length > 0 || since !== cp.since || JSON.stringify(cp.pending) !== before) {
          cp.since = since;
          await saveCheckpoint();
        }
        caughtUp = results.length === 0;
        // PouchDB Server does not end a long poll at its timeout, and waiting facts need a look
        // now and then anyway: a plain read, then a short pause when there was nothing new.
        if (caughtUp) await pause.for(o.pollMs ?? 5000);
      } catch (e) {
        caughtUp = false;
        if (!stopped && !(e instanceof CouchUnreachable)) log(`audit: ${(e as Error).message}; retrying`);
        await pause.for(3000);
      }
    }
  };
  void loop();
  return {
    stop: () => {
      stopped = true;
      pause.cancel();
    },
    get flagged() {
      return flagged;
    },
    get pending() {
      return Object.keys(cp.pending).length;
    },
    get caughtUp() {
      return caughtUp;
    },
  };
}
