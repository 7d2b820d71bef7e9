// Continuous replication between this device and the store server, and what the status
// badge shows about it. Writes never wait for it: they go to the local replica, and this
// carries them over whenever the store server can be reached.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { PouchDB } from '../db/pouch';
import { remoteDbs, terminalDbs } from '../db/terminal-dbs';
import type { TerminalConfig } from '../device/terminal-config';

/** How long sync may fail before the badge turns into a warning. */
export const SYNC_WARNING_MS = 2 * 60_000;
/** Kitchen displays and the ready board warn when they have not heard from the store server for this long. */
export const STALE_MS = 30_000;
const PROBE_MS = 10_000;
const LAST_SYNC_KEY = 'lapak.lastSyncAt';

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
  const now = ref(Date.now());
  const lastHeardAt = ref<string | null>(null);
  let handles: Handle[] = [];
  let pushedSeq: number | string = 0;
  let config: TerminalConfig | null = null;

  const connected = computed(() => browserOnline.value && failingSince.value === null && lastSyncAt.value !== null);
  const stale = computed(() => lastHeardAt.value === null || now.value - Date.parse(lastHeardAt.value) > STALE_MS);
  const warning = computed(() => failingSince.value !== null && now.value - Date.parse(failingSince.value) > SYNC_WARNING_MS);

  window.addEventListener('online', () => (browserOnline.value = true));
  window.addEventListener('offline', () => (browserOnline.value = false));
  setInterval(() => (now.value = Date.now()), 5000);

  /** A live feed can be quiet for a long time; a light request tells whether the store server is still there. */
  async function probe() {
    try {
      const res = await fetch('/db/', { cache: 'no-store', signal: AbortSignal.timeout(5000) });
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

  function failed(err: unknown) {
    failingSince.value ??= new Date().toISOString();
    const e = err as { status?: number; message?: string; reason?: string } | undefined;
    lastError.value = e ? `${e.status ?? ''} ${e.reason ?? e.message ?? ''}`.trim() : 'unreachable';
  }

  /** Documents this terminal wrote that the store server has not acknowledged yet. */
  async function countPending() {
    if (!config) return;
    const changes = await terminalDbs(config).ops.changes({ since: pushedSeq, include_docs: true });
    // Written on this device (not merely by this terminal: a re-paired terminal pulls its predecessor's orders).
    pending.value = changes.results.filter(
      (c) => (c.doc as { device_id?: string } | undefined)?.device_id === config!.deviceId && !c.deleted,
    ).length;
  }

  async function requestPersistence() {
    if (!navigator.storage?.persist) return (persistence.value = 'unsupported');
    persistence.value = (await navigator.storage.persisted()) || (await navigator.storage.persist()) ? 'granted' : 'denied';
  }

  function start(c: TerminalConfig) {
    stop();
    config = c;
    const local = terminalDbs(c);
    const remote = remoteDbs(c);
    const opts = { live: true, retry: true, back_off_function: backOff, batch_size: 100 };
    // The device's own Mango indexes are design documents; they never go up.
    const ops = local.ops.sync(remote.ops, { ...opts, push: { filter: (doc: { _id: string }) => !doc._id.startsWith('_design/') } });
    ops.on('change', (info) => {
      succeeded();
      if (info.direction === 'push') pushedSeq = info.change.last_seq;
      void countPending();
    });
    ops.on('paused', (err) => {
      if (err) return failed(err);
      succeeded();
      void local.ops.info().then((i) => {
        pushedSeq = i.update_seq;
        void countPending();
      });
    });
    ops.on('error', failed);
    ops.on('denied', failed);
    const catalog = PouchDB.replicate(remote.catalog, local.catalog, {
      ...opts,
      filter: 'lapak/for_brand',
      query_params: { brand: c.brand },
    });
    const directory = PouchDB.replicate(remote.directory, local.directory, opts);
    for (const r of [catalog, directory]) r.on('error', failed);
    handles = [ops, catalog, directory];
    void countPending();
    void requestPersistence();
    local.ops.changes({ since: 'now', live: true }).on('change', () => void countPending());
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
    connected,
    warning,
    start,
    stop,
    countPending,
  };
});
