// The store's replications to central retry on their own, but both PouchDB Server and
// CouchDB back off further and further while central is unreachable (minutes, and hours
// for CouchDB's scheduler). After a long internet outage the store would sit idle well
// after the link is back. The watchdog watches the link and, when central answers again,
// restarts the store's replication documents so that catch-up starts at once, from their
// checkpoints.
import { docPath, type CouchAdmin } from '../../scripts/lib/couch-admin';

export interface WatchdogOptions {
  store: CouchAdmin;
  /** Central as the store's replicator reaches it, e.g. https://hq.example.com/db */
  centralUrl: string;
  tenant: string;
  storeCode: string;
  intervalMs?: number;
  log?: (line: string) => void;
}

export interface Watchdog {
  stop(): void;
  /** Restarts the store's replications now (also used by tests). */
  kick(): Promise<number>;
}

const STATE_FIELDS = [
  '_rev',
  '_replication_id',
  '_replication_state',
  '_replication_state_time',
  '_replication_state_reason',
  '_replication_stats',
];

export function startReplicationWatchdog(o: WatchdogOptions): Watchdog {
  const log = o.log ?? (() => {});
  const prefix = `lapak_${o.tenant}_${o.storeCode}_`;
  let reachable: boolean | null = null;
  let stopped = false;

  async function kick(): Promise<number> {
    const res = await o.store.request<{ rows: { id: string; doc: Record<string, unknown> }[] }>(
      'GET',
      `_replicator/_all_docs?include_docs=true&startkey=${encodeURIComponent(JSON.stringify(prefix))}&endkey=${encodeURIComponent(JSON.stringify(`${prefix}\ufff0`))}`,
    );
    let restarted = 0;
    for (const row of res.body.rows ?? []) {
      // A new field makes the new document differ from the old one: PouchDB Server's replicator
      // otherwise takes it for the replication it just cancelled and starts nothing.
      const fresh = {
        ...Object.fromEntries(Object.entries(row.doc).filter(([k]) => !STATE_FIELDS.includes(k))),
        restarted_at: new Date().toISOString(),
      };
      let rev = String(row.doc._rev);
      for (let attempt = 0; attempt < 3; attempt++) {
        const del = await o.store.request('DELETE', `${docPath('_replicator', row.id)}?rev=${encodeURIComponent(rev)}`);
        if (del.status < 400) break;
        // The replicator itself updated the document meanwhile (its state): read it again.
        rev = String((await o.store.request<{ _rev?: string }>('GET', docPath('_replicator', row.id))).body._rev ?? '');
      }
      const put = await o.store.request('PUT', docPath('_replicator', row.id), fresh);
      if (put.status < 400) restarted += 1;
    }
    return restarted;
  }

  async function check() {
    const ok = await fetch(`${o.centralUrl.replace(/\/$/, '')}/`, { signal: AbortSignal.timeout(3000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok && reachable === false) {
      const n = await kick().catch(() => 0);
      log(`central is reachable again: restarted ${n} replications`);
    }
    if (!ok && reachable !== false) log('central is unreachable: replications will be restarted when it answers again');
    reachable = ok;
  }

  const loop = async () => {
    while (!stopped) {
      await check().catch(() => {});
      await new Promise((r) => setTimeout(r, o.intervalMs ?? 10_000));
    }
  };
  void loop();
  return {
    stop: () => {
      stopped = true;
    },
    kick,
  };
}
