// The store agent reports each of its store's replications to HQ: a `replication_status`
// document per `_replicator` job in the store's control database, which replicates up.
// The two servers say different things about a replication:
//
// - CouchDB 3: `_scheduler/docs/_replicator/<id>` gives the state (running, pending, error,
//   crashing, completed, failed), the error, `docs_written`, `changes_pending` and
//   `checkpointed_source_seq`.
// - PouchDB Server: only the `_replicator` document's own fields (`_replication_state`
//   triggered / error / completed, `_replication_state_reason`); no counts. The agent then
//   reads the checkpoint PouchDB keeps in the local database (`_local/<replication id>`,
//   whose id it computes the way PouchDB does) and counts the source's changes since it.
//
// Neither server stamps a checkpoint with a time, so `last_checkpoint_at` is when the agent
// saw the checkpointed sequence move (the previous report's time survives an agent restart).
// A status is rewritten as soon as its state, reason or central's reachability changes, and
// otherwise every `refreshMs` (5 minutes): `updated_at` doubles as the store's liveness.
import { createHash } from 'node:crypto';
import { dbName } from '../../design-docs/lib/names';
import { SCHEMA_VERSION, type ReplicationState, type ReplicationStatus } from '../../design-docs/lib/types';
import { docPath, type CouchAdmin } from '../../scripts/lib/couch-admin';
import { getDoc } from '../../scripts/lib/ensure';
import { replicationJobs } from '../../scripts/lib/security-plan';
import { Pause } from './pause';

export interface StatusReporterOptions {
  store: CouchAdmin;
  /** Central as the store's replicator reaches it, e.g. https://hq.example.com/db */
  centralUrl: string;
  tenant: string;
  storeCode: string;
  /** How often the agent looks (default 15 s). */
  intervalMs?: number;
  /** Rewrite an unchanged status this often (default 5 minutes). */
  refreshMs?: number;
  log?: (line: string) => void;
}

export interface StatusReporter {
  stop(): void;
  /** Looks once now and writes what changed (also used by tests). */
  report(): Promise<void>;
}

/** Removes user:password from URLs in a server's message. */
export function stripCredentials(text: string): string {
  return text.replace(/\/\/[^/@\s]+@/g, '//').replace(/Basic [A-Za-z0-9+/=]+/g, 'Basic ***');
}

export type Endpoint = { url: string; headers: Record<string, string> };

/** A `_replicator` source or target (URL with userinfo, or CouchDB's `{url, auth}`) as fetch can use it. */
export function endpointOf(e: unknown): Endpoint | null {
  const raw = typeof e === 'string' ? e : (e as { url?: unknown } | null)?.url;
  if (typeof raw !== 'string') return null;
  const u = new URL(raw);
  let user = decodeURIComponent(u.username);
  let pass = decodeURIComponent(u.password);
  const basic = (e as { auth?: { basic?: { username?: string; password?: string } } } | null)?.auth?.basic;
  if (typeof e !== 'string' && basic) {
    user = basic.username ?? '';
    pass = basic.password ?? '';
  }
  u.username = '';
  u.password = '';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (user) headers.authorization = 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64');
  return { url: u.toString().replace(/\/$/, ''), headers };
}

async function getJson<T>(url: string, headers: Record<string, string>): Promise<T | null> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(5000) }).catch(() => null);
  return res?.ok ? ((await res.json()) as T) : null;
}

/** Server uuids by root URL: they never change, and asking central for them on every round would load it for nothing. */
const serverUuids = new Map<string, string>();

async function serverUuid(root: string, headers: Record<string, string>): Promise<string | null> {
  const cached = serverUuids.get(root);
  if (cached) return cached;
  const uuid = (await getJson<{ uuid?: string }>(root, headers))?.uuid;
  if (uuid) serverUuids.set(root, uuid);
  return uuid ?? null;
}

/** The key of PouchDB's checkpoint document (`_local/<key>`): md5 of both databases' ids (server uuid + db name). */
export async function pouchCheckpointKey(source: Endpoint, target: Endpoint): Promise<string | null> {
  const ids: string[] = [];
  for (const e of [source, target]) {
    const slash = e.url.lastIndexOf('/');
    const uuid = await serverUuid(`${e.url.slice(0, slash)}/`, e.headers);
    if (!uuid) return null;
    ids.push(uuid + decodeURIComponent(e.url.slice(slash + 1)));
  }
  return createHash('md5').update(ids.join(''), 'binary').digest('base64').replace(/\//g, '.').replace(/\+/g, '_');
}

/** Changes in the source after `since`: what the replication still has to look at (at most 1000 counted). */
async function pendingSince(source: Endpoint, since: unknown): Promise<number | null> {
  const body = await getJson<{ results?: unknown[]; pending?: number }>(
    `${source.url}/_changes?limit=1000&since=${encodeURIComponent(String(since))}`,
    source.headers,
  );
  if (!body?.results) return null;
  return body.results.length + (typeof body.pending === 'number' ? body.pending : 0);
}

interface Observed {
  state: ReplicationState;
  reason?: string;
  checkpointSeq: unknown;
  /** Asked only when a status is written: on PouchDB Server it reads the source, which may be central. */
  docsPending: () => Promise<number | null>;
  docsWritten: number | null;
  /**
   * CouchDB: whether the scheduler gave a pending count yet (a job's `info` is empty until its
   * first batch); a count appearing rewrites the status at once, so HQ does not read "unknown"
   * for minutes on a replication that has nothing to move and never checkpoints anew.
   */
  pendingKnown?: boolean;
}

const COUCH_STATES: Record<string, ReplicationState> = {
  running: 'running',
  pending: 'pending',
  initializing: 'pending',
  error: 'error',
  failed: 'error',
  crashing: 'crashing',
  completed: 'completed',
};

const POUCH_STATES: Record<string, ReplicationState> = { triggered: 'running', error: 'error', completed: 'completed' };

export function startReplicationStatus(o: StatusReporterOptions): StatusReporter {
  const log = o.log ?? (() => {});
  const control = dbName.control(o.tenant, o.storeCode);
  const jobs = replicationJobs(o.tenant, o.storeCode);
  /** The checkpointed sequence each replication had when last looked at. */
  const seen = new Map<string, string>();
  /** What was last written for each replication, and when its checkpoint last moved. */
  /** Per job: what was last written, and the latest checkpoint time seen since (`reported` is the one in the document). */
  const written = new Map<string, { key: string; at: number; rev: string | null; checkpointAt: string | null; reported: string | null }>();
  let flavor: 'couchdb' | 'pouchdb-server' | null = null;
  let stopped = false;
  const pause = new Pause();

  async function observeCouch(id: string): Promise<Observed> {
    const res = await o.store.request<{ state?: string; info?: Record<string, unknown> | null; error_count?: number }>(
      'GET',
      `_scheduler/docs/_replicator/${encodeURIComponent(id)}`,
    );
    if (res.status >= 400) return { state: 'unknown', reason: 'CouchDB has no job for this replication document yet.', ...none() };
    const info = res.body.info ?? {};
    const error = typeof info.error === 'string' ? info.error : undefined;
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    return {
      state: COUCH_STATES[String(res.body.state)] ?? 'unknown',
      reason: error,
      checkpointSeq: info.checkpointed_source_seq ?? null,
      docsPending: () => Promise.resolve(num(info.changes_pending)),
      docsWritten: num(info.docs_written),
      pendingKnown: num(info.changes_pending) !== null,
    };
  }

  async function observePouch(doc: Record<string, unknown>, direction: 'up' | 'down'): Promise<Observed> {
    const raw = doc._replication_state;
    const state: ReplicationState = typeof raw === 'string' ? (POUCH_STATES[raw] ?? 'unknown') : 'pending';
    const reason = typeof doc._replication_state_reason === 'string' ? doc._replication_state_reason : undefined;
    const stats = doc._replication_stats as { docs_written?: number } | undefined;
    const out: Observed = { state, reason, ...none(), docsWritten: stats?.docs_written ?? null };
    const source = endpointOf(doc.source);
    const target = endpointOf(doc.target);
    if (!source || !target) return out;
    const key = await pouchCheckpointKey(source, target);
    if (!key) return out;
    // The checkpoint is written on both sides; the store's own side is always readable.
    const local = direction === 'up' ? source : target;
    const checkpoint = await getJson<{ last_seq?: unknown }>(`${local.url}/_local/${encodeURIComponent(key)}`, local.headers);
    const since = checkpoint?.last_seq ?? 0;
    return { ...out, checkpointSeq: checkpoint?.last_seq ?? null, docsPending: () => pendingSince(source, since) };
  }

  function none() {
    return { checkpointSeq: null, docsPending: () => Promise.resolve(null), docsWritten: null };
  }

  async function reportJob(job: { id: string; db: string; direction: 'up' | 'down' }, centralReachable: boolean): Promise<void> {
    const statusId = `replication_status:${job.id}`;
    const doc = await getDoc<Record<string, unknown>>(o.store, '_replicator', job.id);
    let observed: Observed;
    if (!doc)
      observed = {
        state: 'unknown',
        reason: 'No replication document on the store server: run provision-store for this store again.',
        ...none(),
      };
    else if (flavor === 'couchdb') observed = await observeCouch(job.id);
    else observed = await observePouch(doc, job.direction);

    const now = new Date().toISOString();
    let last = written.get(job.id);
    if (!last) {
      // First round of this agent: start from what the previous one reported.
      const previous = await getDoc<ReplicationStatus>(o.store, control, statusId);
      const at = previous?.last_checkpoint_at ?? null;
      last = { key: '', at: 0, rev: previous?._rev ?? null, checkpointAt: at, reported: at };
    }
    const seq = observed.checkpointSeq === null ? null : JSON.stringify(observed.checkpointSeq);
    const before = seen.get(job.id);
    const checkpointAt = seq !== null && before !== undefined && before !== seq ? now : last.checkpointAt;
    if (seq !== null) seen.set(job.id, seq);

    const reason = observed.reason ? stripCredentials(observed.reason).slice(0, 1000) : undefined;
    const key = JSON.stringify([observed.state, reason ?? '', centralReachable, observed.pendingKnown ?? true]);
    // A first checkpoint is written at once: HQ would otherwise read "never" for minutes while data flows.
    const firstCheckpoint = last.reported === null && checkpointAt !== null;
    if (last.key === key && !firstCheckpoint && Date.now() - last.at < (o.refreshMs ?? 5 * 60_000)) {
      written.set(job.id, { ...last, checkpointAt });
      return;
    }
    const status: ReplicationStatus = {
      _id: statusId,
      type: 'replication_status',
      schema: SCHEMA_VERSION,
      tenant: o.tenant,
      store: o.storeCode,
      job: job.id,
      db: job.db,
      direction: job.direction,
      state: observed.state,
      ...(reason ? { reason } : {}),
      last_checkpoint_at: checkpointAt,
      docs_pending: await observed.docsPending(),
      docs_written: observed.docsWritten,
      central_reachable: centralReachable,
      updated_at: now,
    };
    let put = await o.store.request<{ rev?: string }>('PUT', docPath(control, statusId), last.rev ? { ...status, _rev: last.rev } : status);
    if (put.status === 409) {
      const current = await getDoc<ReplicationStatus>(o.store, control, statusId);
      put = await o.store.request<{ rev?: string }>('PUT', docPath(control, statusId), { ...status, _rev: current?._rev });
    }
    if (put.status >= 400) throw new Error(`the store server refused ${statusId}: HTTP ${put.status}`);
    if (last.key !== key) log(`replication ${job.id}: ${status.state}${reason ? ` (${reason})` : ''}`);
    written.set(job.id, { key, at: Date.now(), rev: put.body.rev ?? null, checkpointAt, reported: checkpointAt });
  }

  async function report(): Promise<void> {
    if ((await o.store.request('GET', encodeURIComponent(control))).status !== 200) return; // not provisioned yet
    if (!flavor) {
      const welcome = await o.store.request<Record<string, unknown>>('GET', '');
      flavor = welcome.body.couchdb === 'Welcome' ? 'couchdb' : 'pouchdb-server';
    }
    const centralReachable = await fetch(`${o.centralUrl.replace(/\/$/, '')}/`, { signal: AbortSignal.timeout(3000) })
      .then((r) => r.ok)
      .catch(() => false);
    for (const job of jobs) await reportJob(job, centralReachable);
  }

  const loop = async () => {
    while (!stopped) {
      await report().catch((e: Error) => log(`replication status: ${e.message}`));
      await pause.for(o.intervalMs ?? 15_000);
    }
  };
  void loop();
  return {
    stop: () => {
      stopped = true;
      pause.cancel();
    },
    report,
  };
}
