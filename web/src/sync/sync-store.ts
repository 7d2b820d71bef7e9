// Continuous replication between this device and the store server, and what the status
// badge shows about it. Writes never wait for it: they go to the local replica, and this
// carries them over whenever the store server can be reached.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { PouchDB, type Db } from '../db/pouch';
import { remoteDbs, terminalDbs } from '../db/terminal-dbs';
import { observeServerDate } from '../device/clock';
import type { TerminalConfig } from '../device/terminal-config';
import { pullSource } from './pull-source';
import { whenPullLeader } from './pull-leader';
import { pushTarget } from './push-target';
import { ServerRevs } from './server-revs';

/** How long sync may fail before the badge turns into a warning. */
export const SYNC_WARNING_MS = 2 * 60_000;
/** Kitchen displays and the ready board warn when they have not heard from the store server for this long. */
export const STALE_MS = 30_000;
const PROBE_MS = 10_000;
const LAST_SYNC_KEY = 'lapak.lastSyncAt';
const PENDING_KEY = 'lapak.unsent';

/**
 * PouchDB's default backoff grows to about ten minutes; a store server that comes back
 * must be used again within seconds, so retries start at half a second and stay at most 3 s apart.
 */
export function backOff(delay: number): number {
  return delay === 0 ? 500 : Math.min(Math.max(delay * 2, 500), 3000);
}

type Handle = { cancel(): void };

export const useSync = defineStore('sync', () => {
  const browserOnline = ref(navigator.onLine);
  const pending = ref(0);
  const lastSyncAt = ref<string | null>(localStorage.getItem(LAST_SYNC_KEY));
  const failingSince = ref<string | null>(null);
  const lastError = ref<string | null>(null);
  const persistence = ref<'granted' | 'denied' | 'unsupported' | 'unknown'>('unknown');
  const storageError = ref(false);
  /** The store server refuses what this device sends because its disk is full (507); set and cleared by the push only. */
  const serverFull = ref(false);
  const now = ref(Date.now());
  const lastHeardAt = ref<string | null>(null);
  let handles: Handle[] = [];

  const connected = computed(() => browserOnline.value && failingSince.value === null && lastSyncAt.value !== null);
  const stale = computed(() => lastHeardAt.value === null || now.value - Date.parse(lastHeardAt.value) > STALE_MS);
  const warning = computed(() => failingSince.value !== null && now.value - Date.parse(failingSince.value) > SYNC_WARNING_MS);

  window.addEventListener('online', () => (browserOnline.value = true));
  window.addEventListener('offline', () => (browserOnline.value = false));
  setInterval(() => (now.value = Date.now()), 5000);

  /** A live feed can be quiet for a long time; a light request tells whether the store server is still there. */
  async function probe() {
    try {
      const sentAt = Date.now();
      const res = await fetch('/db/', { cache: 'no-store', signal: AbortSignal.timeout(5000) });
      observeServerDate(res.headers.get('date'), sentAt, Date.now());
      if (res.ok) lastHeardAt.value = new Date().toISOString();
    } catch {
      // not heard: the stale warning grows by itself
    }
  }
  setInterval(() => void probe(), PROBE_MS);
  void probe();

  function succeeded() {
    const at = new Date().toISOString();
    lastHeardAt.value = at;
    lastSyncAt.value = at;
    localStorage.setItem(LAST_SYNC_KEY, at);
    failingSince.value = null;
    lastError.value = null;
  }

  /** CouchDB's and our gateway's answer to a write on a full disk. */
  function isDiskFull(err: unknown): boolean {
    const e = err as { status?: number; name?: string; error?: string } | undefined;
    return e?.status === 507 || e?.name === 'insufficient_storage' || e?.error === 'insufficient_storage';
  }

  function failed(err: unknown) {
    failingSince.value ??= new Date().toISOString();
    const e = err as { status?: number; message?: string; reason?: string } | undefined;
    lastError.value = e ? `${e.status ?? ''} ${e.reason ?? e.message ?? ''}`.trim() : 'unreachable';
  }

  /**
   * Documents written on this device that the store server has not acknowledged yet. The set
   * is kept across reloads; the push replication removes what it wrote, and whenever it goes
   * idle the rest are checked against the server (a reload skips acknowledgements).
   */
  const unsent = new Set<string>(JSON.parse(localStorage.getItem(PENDING_KEY) ?? '[]') as string[]);
  function setUnsent() {
    pending.value = unsent.size;
    localStorage.setItem(PENDING_KEY, JSON.stringify([...unsent]));
  }
  /** Revisions known without asking the store server, for the push and pull of the running replication. */
  let serverRevs = new ServerRevs();
  function written(docs: { id: string; rev: string }[]) {
    for (const d of docs) {
      unsent.add(d.id);
      serverRevs.written(d.id, d.rev);
    }
    setUnsent();
  }
  async function reconcile(remote: Db) {
    if (unsent.size === 0) return;
    const res = await remote.allDocs({ keys: [...unsent] }).catch(() => null);
    if (!res) return;
    for (const row of res.rows) if ('value' in row && row.value && !('deleted' in row.value && row.value.deleted)) unsent.delete(row.id);
    setUnsent();
  }

  async function requestPersistence() {
    if (!navigator.storage?.persist) return (persistence.value = 'unsupported');
    persistence.value = (await navigator.storage.persisted()) || (await navigator.storage.persist()) ? 'granted' : 'denied';
  }

  function watchFailures(...replications: PouchDB.Replication.Replication<object>[]) {
    for (const r of replications) {
      r.on('error', failed);
      r.on('denied', failed);
    }
  }

  function start(c: TerminalConfig) {
    stop();

    const local = terminalDbs(c);
    const remote = remoteDbs(c);
    const opts = { live: true, retry: true, back_off_function: backOff, batch_size: 100 };
    // Push and pull run separately so that "the push is idle" means everything written here is sent.
    // The device's own Mango indexes are design documents; they never go up.
    // Checkpoints are kept on the device only: one request fewer per batch, in both directions.
    serverRevs = new ServerRevs();
    const push = local.ops.replicate.to(pushTarget(remote.ops, serverRevs), {
      ...opts,
      checkpoint: 'source',
      filter: (doc: { _id: string }) => !doc._id.startsWith('_design/'),
    });
    push.on('change', (info) => {
      succeeded();
      serverFull.value = false;
      for (const d of info.docs) unsent.delete(d._id);
      setUnsent();
    });
    push.on('paused', (err) => {
      if (err) {
        serverFull.value = isDiskFull(err);
        return failed(err);
      }
      succeeded();
      serverFull.value = false;
      void reconcile(remote.ops);
    });
    // One tab of this browser pulls for all of them (see pull-leader.ts).
    const pulls: Handle[] = [];
    const releasePulls = whenPullLeader(`lapak.pull.${c.tenant}.${c.store}.${c.code}`, () => {
      // Its own instance: the pull reads documents from the changes feed (see pull-source.ts).
      const pull = local.ops.replicate.from(pullSource(remoteDbs(c).ops, serverRevs), { ...opts, checkpoint: 'target' });
      pull.on('change', succeeded);
      pull.on('paused', (err) => (err ? failed(err) : succeeded()));
      const catalog = PouchDB.replicate(remote.catalog, local.catalog, {
        ...opts,
        checkpoint: 'target',
        filter: 'lapak/for_brand',
        query_params: { brand: c.brand },
      });
      const directory = PouchDB.replicate(remote.directory, local.directory, { ...opts, checkpoint: 'target' });
      watchFailures(pull, catalog, directory);
      pulls.push(pull, catalog, directory);
    });
    watchFailures(push);
    handles = [push, { cancel: () => pulls.forEach((p) => p.cancel()) }, { cancel: releasePulls }];
    setUnsent();
    void requestPersistence();
  }

  function stop() {
    for (const h of handles) h.cancel();
    handles = [];
  }

  return {
    lastHeardAt,
    stale,
    browserOnline,
    pending,
    lastSyncAt,
    failingSince,
    lastError,
    persistence,
    storageError,
    serverFull,
    connected,
    warning,
    start,
    stop,
    written,
  };
});
