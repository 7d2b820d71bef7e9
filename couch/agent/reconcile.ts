// Anti-entropy between the store server and central, independent of replication checkpoints.
// Continuous replication trusts its `_local` checkpoint: a checkpoint moved forward (a forged
// one, or one restored from a backup of the other side) makes it skip documents for good, and
// nothing tells anyone. This loop asks central directly which revisions it lacks and pushes them.
//
// How (documented API only, same on CouchDB and PouchDB Server):
// 1. list ids and revs at the store: ops ids are `<type>:<UUIDv7>`, whose first 48 bits are
//    the creation time, so the recent window is one `_all_docs` id range per type (bounded by
//    time, not by sequence: a sequence is what a forged checkpoint lies about). The small
//    databases (directory, control) and the less frequent full sweep read `_changes` from 0
//    with `style=all_docs`, which also gives conflicting leaves and deletions;
// 2. `_revs_diff` at central, with the store's replication account (the credentials of the
//    store's own `_replicator` document, the way the replication reaches central);
// 3. whatever is still missing `graceMs` later (not merely in flight in the running
//    replication) is read with `_bulk_get?revs=true` from the store and written to central
//    with `_bulk_docs` `new_edits: false`: the same revisions, with their history, so nothing
//    is doubled and a second run finds nothing to do;
// 4. `_revs_diff` again counts what central now has.
// A one-shot replication with its own id would also work, but it needs a start sequence
// (again a checkpoint-like guess), counts differently on each server and leaves checkpoints
// behind; this way the counts are exact and the window is a time.
// Only the store → central direction is reconciled: central → store documents (catalog, HQ's
// requests) are HQ's own writes, and HQ sees them missing at the store by their results.
import { dbName } from '../../design-docs/lib/names';
import { INTEGRITY_ALERT_PREFIX, RECONCILE_REPORT_PREFIX, SCHEMA_VERSION, type ReconcileReport } from '../../design-docs/lib/types';
import { docPath, type CouchAdmin } from '../../scripts/lib/couch-admin';
import { getDoc } from '../../scripts/lib/ensure';
import { uuidv7Floor } from '../../design-docs/lib/uuidv7-floor';
import { replicationJobs } from '../../scripts/lib/security-plan';
import { reportId } from './integrity-guard';
import { Pause } from './pause';
import { endpointOf, type Endpoint } from './replication-status';

export const OPS_ID_TYPES = ['order', 'payment', 'void', 'refund', 'ticket_event', 'review', 'shift_open', 'cash_movement', 'shift_close'];
const PAGE = 500;

export interface ReconcileOptions {
  store: CouchAdmin;
  tenant: string;
  storeCode: string;
  /** Between windowed runs (default 5 minutes). */
  intervalMs?: number;
  /** How far back the window reaches (default 24 hours). */
  windowMs?: number;
  /** A full sweep this often (default 24 hours), and at start. */
  fullEveryMs?: number;
  /** A missing revision must still be missing this much later to be pushed (default 30 s). */
  graceMs?: number;
  log?: (line: string) => void;
}

export interface ReconcileResult {
  sweep: 'window' | 'full';
  dbs: { db: string; checked: number; pushed: number }[];
  checked: number;
  /** Pushed documents, the agent's own reports left out (see `ownReport`). */
  pushed: number;
  /** The report written into the control database, when something was pushed. */
  report: string | null;
}

export interface Reconciler {
  stop(): void;
  /** Runs once now (also used by tests). */
  run(sweep?: 'window' | 'full'): Promise<ReconcileResult>;
}

type Revs = Record<string, string[]>;

/** A database as HTTP paths relative to it. */
interface DbClient {
  label: string;
  request<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

function storeDb(store: CouchAdmin, db: string): DbClient {
  return { label: `${db} on the ${store.label}`, request: (m, p, b) => store.request(m, `${encodeURIComponent(db)}/${p}`, b) };
}

/**
 * Central's copy as the store's replication reaches it: the target of the store's own up
 * `_replicator` document. Every job of the store uses the same account at the same central, so
 * when that document is missing (a stopped replication: just when reconciling matters) any
 * other up job of the store serves, with its database name swapped.
 */
async function centralDb(store: CouchAdmin, jobs: { id: string; db: string }[], db: string): Promise<DbClient | null> {
  let target: Endpoint | null = null;
  for (const j of [...jobs].sort((a, b) => Number(b.db === db) - Number(a.db === db))) {
    const doc = await getDoc<Record<string, unknown>>(store, '_replicator', j.id);
    const e = doc ? endpointOf(doc.target) : null;
    if (!e || !e.url.endsWith(`/${encodeURIComponent(j.db)}`)) continue;
    target = { ...e, url: `${e.url.slice(0, e.url.length - encodeURIComponent(j.db).length)}${encodeURIComponent(db)}` };
    break;
  }
  if (!target) return null;
  const { url, headers } = target;
  return {
    label: `${db} at central`,
    async request<T>(method: string, path: string, body?: unknown) {
      const res = await fetch(`${url}/${path}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      let parsed: unknown = {};
      try {
        parsed = text ? JSON.parse(text) : {};
      } catch {
        parsed = { error: 'not_json', reason: text.slice(0, 200) };
      }
      return { status: res.status, body: parsed as T };
    },
  };
}

async function must<T>(db: DbClient, what: string, res: Promise<{ status: number; body: T }>): Promise<T> {
  const r = await res;
  if (r.status >= 400) throw new Error(`${db.label} refused to ${what}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return r.body;
}

/** Pages of `{id: [rev]}` of ops documents whose id time is at or after `sinceMs`. */
async function* opsWindow(db: DbClient, sinceMs: number): AsyncGenerator<Revs> {
  for (const type of OPS_ID_TYPES) {
    let startkey = `${type}:${uuidv7Floor(sinceMs)}`;
    let skip = 0;
    for (;;) {
      const q = `_all_docs?limit=${PAGE}&skip=${skip}&startkey=${encodeURIComponent(JSON.stringify(startkey))}&endkey=${encodeURIComponent(JSON.stringify(`${type}:\ufff0`))}`;
      const body = await must<{ rows?: { id: string; value?: { rev?: string } }[] }>(db, 'list documents', db.request('GET', q));
      const rows = body.rows ?? [];
      const page: Revs = {};
      for (const r of rows) if (r.value?.rev) page[r.id] = [r.value.rev];
      if (rows.length) yield page;
      if (rows.length < PAGE) break;
      startkey = rows[rows.length - 1]!.id;
      skip = 1;
    }
  }
}

/** Pages of `{id: [leaf revs]}` of every document but design documents, from the changes feed. */
async function* everything(db: DbClient): AsyncGenerator<Revs> {
  let since: unknown = 0;
  for (;;) {
    const body = await must<{ results?: { id: string; changes: { rev: string }[] }[]; last_seq?: unknown }>(
      db,
      'read changes',
      db.request('GET', `_changes?style=all_docs&limit=${PAGE}&since=${encodeURIComponent(String(since))}`),
    );
    const results = body.results ?? [];
    const page: Revs = {};
    for (const r of results) if (!r.id.startsWith('_design/')) page[r.id] = r.changes.map((c) => c.rev);
    if (Object.keys(page).length) yield page;
    if (results.length < PAGE) break;
    since = body.last_seq;
  }
}

async function missingAt(target: DbClient, revs: Revs): Promise<Revs> {
  if (Object.keys(revs).length === 0) return {};
  const body = await must<Record<string, { missing?: string[] }>>(target, 'compare revisions', target.request('POST', '_revs_diff', revs));
  const out: Revs = {};
  for (const [id, v] of Object.entries(body)) if (v.missing?.length) out[id] = v.missing;
  return out;
}

async function push(source: DbClient, target: DbClient, missing: Revs): Promise<void> {
  const wanted = Object.entries(missing).flatMap(([id, revs]) => revs.map((rev) => ({ id, rev })));
  const got = await must<{ results?: { docs: { ok?: Record<string, unknown> }[] }[] }>(
    source,
    'read documents',
    source.request('POST', '_bulk_get?revs=true&attachments=true', { docs: wanted }),
  );
  const docs = (got.results ?? []).flatMap((r) => r.docs.flatMap((d) => (d.ok ? [d.ok] : [])));
  if (docs.length) await must(target, 'take the missing documents', target.request('POST', '_bulk_docs', { docs, new_edits: false }));
}

/** The agent's own reports are carried by the control replication like anything else, but pushing one is no news for HQ. */
function ownReport(id: string): boolean {
  return id.startsWith(RECONCILE_REPORT_PREFIX) || id.startsWith(INTEGRITY_ALERT_PREFIX);
}

const count = (revs: Revs, own = true) => Object.entries(revs).reduce((n, [id, r]) => n + (own || !ownReport(id) ? r.length : 0), 0);

export function startReconciler(o: ReconcileOptions): Reconciler {
  const log = o.log ?? (() => {});
  const control = dbName.control(o.tenant, o.storeCode);
  const pause = new Pause();
  const grace = new Pause();
  let stopped = false;
  let lastFull = 0;
  let running: Promise<ReconcileResult> | null = null;
  const graceMs = o.graceMs ?? 30_000;
  const upJobs = replicationJobs(o.tenant, o.storeCode).filter((j) => j.direction === 'up');
  const dbs = [
    { db: dbName.ops(o.tenant, o.storeCode), windowed: true },
    { db: dbName.directory(o.tenant, o.storeCode), windowed: false },
    { db: control, windowed: false },
  ] as const;

  async function reconcileDb(source: DbClient, target: DbClient, pages: AsyncGenerator<Revs>) {
    let checked = 0;
    let pushed = 0;
    for await (const page of pages) {
      checked += Object.keys(page).length;
      let missing = await missingAt(target, page);
      if (Object.keys(missing).length === 0) continue;
      // Still missing a little later: not just on its way in the running replication.
      await grace.for(graceMs);
      missing = await missingAt(target, missing);
      if (Object.keys(missing).length === 0) continue;
      await push(source, target, missing);
      const left = await missingAt(target, missing);
      const done = Object.fromEntries(Object.entries(missing).filter(([id]) => !left[id]));
      pushed += count(done, false);
      if (Object.keys(left).length) log(`reconcile: ${target.label} still lacks ${count(left)} revision(s) after the push`);
    }
    return { checked, pushed };
  }

  async function once(sweep: 'window' | 'full'): Promise<ReconcileResult> {
    const result: ReconcileResult = { sweep, dbs: [], checked: 0, pushed: 0, report: null };
    if ((await o.store.request('GET', encodeURIComponent(control))).status === 404) return result; // not provisioned yet
    const since = Date.now() - (o.windowMs ?? 24 * 3600_000);
    for (const d of dbs) {
      const target = await centralDb(o.store, upJobs, d.db);
      if (!target) {
        log(
          `reconcile: no replication document of this store on the store server to reach central with; run provision-store for this store again`,
        );
        continue;
      }
      const source = storeDb(o.store, d.db);
      const pages = sweep === 'window' && d.windowed ? opsWindow(source, since) : everything(source);
      const r = await reconcileDb(source, target, pages);
      result.dbs.push({ db: d.db, ...r });
      result.checked += r.checked;
      result.pushed += r.pushed;
    }
    if (sweep === 'full') lastFull = Date.now();
    log(`reconcile (${sweep}): checked ${result.checked} documents, pushed ${result.pushed} that central lacked`);
    if (result.pushed === 0) return result;
    const at = new Date().toISOString();
    const report: ReconcileReport = {
      _id: reportId(RECONCILE_REPORT_PREFIX, at),
      type: 'reconcile_report',
      schema: SCHEMA_VERSION,
      tenant: o.tenant,
      store: o.storeCode,
      sweep,
      ...(sweep === 'window' ? { since: new Date(since).toISOString() } : {}),
      dbs: result.dbs,
      checked: result.checked,
      pushed: result.pushed,
      done_at: at,
    };
    const put = await o.store.request('PUT', docPath(control, report._id), report);
    if (put.status >= 400) throw new Error(`the store server refused ${report._id}: HTTP ${put.status} ${JSON.stringify(put.body)}`);
    result.report = report._id;
    log(`reconcile: ${result.dbs.map((d) => `${d.db} ${d.pushed}`).join(', ')} pushed to central (${report._id})`);
    return result;
  }

  /** One run at a time: the loop and a test's call do not push the same documents at once. */
  function run(sweep?: 'window' | 'full'): Promise<ReconcileResult> {
    const wanted = sweep ?? (Date.now() - lastFull >= (o.fullEveryMs ?? 24 * 3600_000) ? 'full' : 'window');
    running ??= once(wanted).finally(() => (running = null));
    return running;
  }

  const loop = async () => {
    while (!stopped) {
      await run().catch((e: Error) => log(`reconcile: ${e.message}`));
      await pause.for(o.intervalMs ?? 5 * 60_000);
    }
  };
  void loop();
  return {
    stop: () => {
      stopped = true;
      pause.cancel();
      grace.cancel();
    },
    run,
  };
}
