// GET /health: is the store server there, are this store's replications running, who is
// online, how much disk is left. Every request to the store server has a timeout, so the
// report comes back in under two seconds even when CouchDB hangs.
import { statfs } from 'node:fs/promises';
import { dbName } from '../design-docs/lib/names';
import type { Credentials } from './config';
import { couchRequest, errorText } from './couch';
import { isOnline } from './heartbeats';

export interface ReplicationHealth {
  id: string;
  state: string;
  last_checkpoint_or_update_time: string | null;
  error?: string;
}

export interface HealthReport {
  status: 'healthy' | 'degraded' | 'unhealthy';
  tenant: string;
  store: string;
  store_db: 'reachable' | 'unreachable';
  /** Why the store server is unreachable. */
  store_db_error?: string;
  connected_clients: number;
  terminals_online: string[];
  replication: ReplicationHealth[];
  /** Why the replication list is missing or incomplete. */
  replication_error?: string;
  docs_pending: number | null;
  docs_pending_note?: string;
  uptime_seconds: number;
  disk_free_bytes: number | null;
  checked_at: string;
}

export interface HealthContext {
  storeUrl: string;
  tenant: string;
  store: string;
  admin: Credentials | null;
  /** Read access to the directory (heartbeats); the directory is public on the LAN, the relay account is enough. */
  reader: Credentials;
  timeoutMs: number;
  onlineWindowMs: number;
  dataDir: string;
  startedAt: number;
  connectedClients: number;
  connectedTerminals: string[];
}

const FAILED_STATES = new Set(['error', 'failed', 'crashing']);

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** The store's replications from Apache CouchDB 3's scheduler, or null when the server has no scheduler. */
async function schedulerReplications(
  ctx: HealthContext,
  prefix: string,
): Promise<{ jobs: ReplicationHealth[]; pending: number | null } | null> {
  const res = await couchRequest(ctx.storeUrl, 'GET', '_scheduler/docs/_replicator', { auth: ctx.admin, timeoutMs: ctx.timeoutMs });
  if (res.status !== 200 || !Array.isArray(res.body.docs)) {
    if (res.status === 401 || res.status === 403) throw new Error(`the admin credentials were refused (HTTP ${res.status})`);
    return null;
  }
  let pending: number | null = null;
  const jobs: ReplicationHealth[] = [];
  for (const d of res.body.docs as Record<string, unknown>[]) {
    const id = str(d.doc_id);
    if (!id || !id.startsWith(prefix)) continue;
    const state = str(d.state) ?? 'unknown';
    const info = (d.info && typeof d.info === 'object' ? d.info : {}) as Record<string, unknown>;
    const job: ReplicationHealth = { id, state, last_checkpoint_or_update_time: str(d.last_updated) };
    const err = info.error ?? (FAILED_STATES.has(state) ? (d.error ?? d.info) : undefined);
    if (err !== undefined && err !== null) job.error = typeof err === 'string' ? err : JSON.stringify(err);
    if (typeof info.changes_pending === 'number') pending = (pending ?? 0) + info.changes_pending;
    jobs.push(job);
  }
  return { jobs, pending };
}

/** The store's replications from the _replicator documents, where PouchDB Server keeps their state. */
async function documentReplications(ctx: HealthContext, prefix: string): Promise<ReplicationHealth[]> {
  const q = `startkey=${encodeURIComponent(JSON.stringify(prefix))}&endkey=${encodeURIComponent(JSON.stringify(`${prefix}\ufff0`))}&include_docs=true`;
  const res = await couchRequest(ctx.storeUrl, 'GET', `_replicator/_all_docs?${q}`, { auth: ctx.admin, timeoutMs: ctx.timeoutMs });
  if (res.status !== 200 || !Array.isArray(res.body.rows)) throw new Error(`_replicator answered HTTP ${res.status}`);
  const jobs: ReplicationHealth[] = [];
  for (const row of res.body.rows as { id?: unknown; doc?: Record<string, unknown> }[]) {
    const d = row.doc;
    const id = str(row.id);
    if (!d || !id) continue;
    const state = str(d._replication_state) ?? 'pending';
    const job: ReplicationHealth = { id, state, last_checkpoint_or_update_time: str(d._replication_state_time) };
    if (FAILED_STATES.has(state)) job.error = str(d._replication_state_reason) ?? 'replication failed';
    jobs.push(job);
  }
  return jobs;
}

type Flavor = 'couchdb' | 'pouchdb-server' | 'unknown';

/** From the server's welcome: CouchDB has a replication scheduler, PouchDB Server keeps state in the documents. */
function flavorOf(welcome: Record<string, unknown>): Flavor {
  if (welcome.couchdb === 'Welcome') return 'couchdb';
  if ('express-pouchdb' in welcome) return 'pouchdb-server';
  return 'unknown';
}

async function replications(ctx: HealthContext, flavor: Flavor) {
  const prefix = `lapak_${ctx.tenant}_${ctx.store}_`;
  if (!ctx.admin) throw new Error('no admin credentials configured');
  if (flavor !== 'pouchdb-server') {
    const scheduled = await schedulerReplications(ctx, prefix);
    if (scheduled) return scheduled;
  }
  return { jobs: await documentReplications(ctx, prefix), pending: null };
}

async function heartbeatsOnline(ctx: HealthContext, now: Date): Promise<string[]> {
  const db = encodeURIComponent(dbName.directory(ctx.tenant, ctx.store));
  const q = `startkey=${encodeURIComponent('"heartbeat:"')}&endkey=${encodeURIComponent('"heartbeat:\ufff0"')}&include_docs=true`;
  const res = await couchRequest(ctx.storeUrl, 'GET', `${db}/_all_docs?${q}`, { auth: ctx.reader, timeoutMs: ctx.timeoutMs });
  if (res.status !== 200 || !Array.isArray(res.body.rows)) return [];
  const codes: string[] = [];
  for (const row of res.body.rows as { doc?: Record<string, unknown> }[]) {
    const d = row.doc;
    if (d && typeof d.terminal === 'string' && typeof d.last_seen === 'string' && isOnline(d.last_seen, now, ctx.onlineWindowMs))
      codes.push(d.terminal);
  }
  return codes;
}

async function diskFree(dir: string): Promise<number | null> {
  for (const path of [dir, '/']) {
    try {
      const s = await statfs(path);
      return s.bavail * s.bsize;
    } catch {
      // try the root instead
    }
  }
  return null;
}

export async function healthReport(ctx: HealthContext): Promise<HealthReport> {
  const now = new Date();
  const deadline = Date.now() + ctx.timeoutMs;
  const disk = diskFree(ctx.dataDir);
  let unreachable: string | undefined;
  const welcome = await couchRequest(ctx.storeUrl, 'GET', '', { timeoutMs: ctx.timeoutMs }).catch((e: unknown) => {
    unreachable = errorText(e);
    return null;
  });
  if (welcome && welcome.status >= 500) unreachable = `HTTP ${welcome.status}`;
  const reachable = welcome !== null && unreachable === undefined;
  // What is left of the time budget, so that the whole report stays within it (plus a little).
  const rest: HealthContext = { ...ctx, timeoutMs: Math.max(200, deadline - Date.now()) };
  const [repl, online] = reachable
    ? await Promise.allSettled([replications(rest, flavorOf(welcome.body)), heartbeatsOnline(rest, now)])
    : [
        { status: 'rejected' as const, reason: new Error('the store server is unreachable') },
        { status: 'fulfilled' as const, value: [] },
      ];
  const diskFreeBytes = await disk;
  const report: HealthReport = {
    status: 'healthy',
    tenant: ctx.tenant,
    store: ctx.store,
    store_db: reachable ? 'reachable' : 'unreachable',
    ...(unreachable ? { store_db_error: unreachable } : {}),
    connected_clients: ctx.connectedClients,
    terminals_online: [...new Set([...ctx.connectedTerminals, ...(online.status === 'fulfilled' ? online.value : [])])].sort(),
    replication: [],
    docs_pending: null,
    uptime_seconds: Math.round((Date.now() - ctx.startedAt) / 1000),
    disk_free_bytes: diskFreeBytes,
    checked_at: now.toISOString(),
  };
  if (repl.status === 'fulfilled') {
    report.replication = repl.value.jobs;
    report.docs_pending = repl.value.pending;
    if (repl.value.pending === null)
      report.docs_pending_note = 'this store server does not report pending changes (PouchDB Server has no replication scheduler)';
  } else {
    report.replication_error = `could not read the replication state: ${errorText(repl.reason)}`;
    report.docs_pending_note = 'unknown: the replication state could not be read';
  }
  if (!reachable) report.status = 'unhealthy';
  else if (repl.status === 'rejected' || report.replication.some((r) => r.error !== undefined || FAILED_STATES.has(r.state)))
    report.status = 'degraded';
  return report;
}
