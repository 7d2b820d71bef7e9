// Keeps the store's public directory in step with its directory: after every change there (a
// terminal paired, unassigned, added, a heartbeat), the store agent writes the projection the
// setup wizard and the front page read before login (scripts/lib/public-directory.ts). Only
// the store server's admin may write the public directory, which is why this is the agent's.
import { dbName } from '../../design-docs/lib/names';
import { CouchUnreachable, type CouchAdmin } from '../../scripts/lib/couch-admin';
import { syncPublicDirectory } from '../../scripts/lib/public-directory';
import { Pause } from './pause';

export interface PublicDirectoryOptions {
  store: CouchAdmin;
  tenant: string;
  storeCode: string;
  /** Long-poll timeout of the changes feed (default 25 s). */
  pollMs?: number;
  log?: (line: string) => void;
}

export interface PublicDirectoryAgent {
  stop(): void;
  /** How many projections wrote something (for tests and logs). */
  readonly syncs: number;
}

export function startPublicDirectory(o: PublicDirectoryOptions): PublicDirectoryAgent {
  const log = o.log ?? (() => {});
  const directory = encodeURIComponent(dbName.directory(o.tenant, o.storeCode));
  const pause = new Pause();
  let stopped = false;
  let syncs = 0;

  const loop = async () => {
    let since: string | null = null;
    while (!stopped) {
      try {
        if (since === null) {
          // From the current state: whatever changed while the agent was away is in this first projection.
          const info = await o.store.request<{ last_seq?: unknown }>('GET', `${directory}/_changes?since=now&limit=0`);
          if (info.status === 404) {
            await pause.for(5000); // not provisioned yet
            continue;
          }
          if (info.status >= 400) throw new Error(`HTTP ${info.status}`);
          since = String(info.body.last_seq ?? '0');
        } else {
          const res: { status: number; body: { results?: unknown[]; last_seq?: unknown } } = await o.store.request(
            'GET',
            `${directory}/_changes?feed=longpoll&timeout=${o.pollMs ?? 25_000}&since=${encodeURIComponent(since)}`,
          );
          if (res.status >= 400) throw new Error(`HTTP ${res.status}`);
          since = String(res.body.last_seq ?? since);
          if ((res.body.results ?? []).length === 0) continue;
        }
        if (stopped) return;
        if ((await syncPublicDirectory(o.store, o.tenant, o.storeCode)) > 0) syncs += 1;
      } catch (e) {
        if (!stopped && !(e instanceof CouchUnreachable)) log(`public directory: ${(e as Error).message}; retrying`);
        since = null;
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
    get syncs() {
      return syncs;
    },
  };
}
