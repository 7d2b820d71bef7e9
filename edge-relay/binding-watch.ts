// Follows the store directory's changes feed for device bindings, so that the relay hears of
// an unassign at once: unassigning resets the terminal's password and then deletes
// binding:<CODE>, and every open connection of that terminal must then be re-checked (its
// upgrade credentials no longer open the account) rather than live on until the next
// heartbeat. The relay reads the directory with its own account, a member of it.
import { dbName } from '../design-docs/lib/names';
import type { Credentials } from './config';
import { couchRequest, errorText } from './couch';

export interface BindingWatchOptions {
  storeUrl: string;
  auth: Credentials;
  tenant: string;
  store: string;
  /** Long-poll timeout; the request itself may take this plus a margin. */
  pollMs?: number;
  /** Pause after a failed poll (CouchDB down or restarting). */
  retryMs?: number;
  log: (line: string) => void;
  /** A binding was created, changed or deleted. */
  onBinding: (code: string) => void;
  /** The feed (re)started: changes may have been missed while it was down, re-check everything. */
  onResync?: () => void;
}

export interface BindingWatch {
  stop(): void;
}

const BINDING_PREFIX = 'binding:';

export function watchBindings(o: BindingWatchOptions): BindingWatch {
  const db = encodeURIComponent(dbName.directory(o.tenant, o.store));
  const pollMs = o.pollMs ?? 25_000;
  let stopped = false;
  const abort = new AbortController();
  let wake: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      t.unref();
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const loop = async () => {
    let since: string | null = null;
    let failed = false;
    while (!stopped) {
      try {
        if (since === null) {
          const now = await couchRequest(o.storeUrl, 'GET', `${db}/_changes?since=now&limit=0`, {
            auth: o.auth,
            timeoutMs: 5_000,
            signal: abort.signal,
          });
          if (now.status !== 200) throw new Error(`HTTP ${now.status} ${JSON.stringify(now.body)}`);
          since = String(now.body.last_seq ?? '0');
          if (failed) o.onResync?.();
          failed = false;
          continue;
        }
        const res = await couchRequest(
          o.storeUrl,
          'GET',
          `${db}/_changes?feed=longpoll&timeout=${pollMs}&since=${encodeURIComponent(since)}`,
          { auth: o.auth, timeoutMs: pollMs + 10_000, signal: abort.signal },
        );
        if (res.status !== 200) throw new Error(`HTTP ${res.status} ${JSON.stringify(res.body)}`);
        const results = Array.isArray(res.body.results) ? (res.body.results as { id?: unknown }[]) : [];
        for (const r of results)
          if (typeof r.id === 'string' && r.id.startsWith(BINDING_PREFIX)) o.onBinding(r.id.slice(BINDING_PREFIX.length));
        since = String(res.body.last_seq ?? since);
      } catch (e) {
        if (stopped) return;
        if (!failed) o.log(`binding watch: ${errorText(e)}; retrying`);
        failed = true;
        since = null; // start again from now, and re-check every connection then
        await pause(o.retryMs ?? 2_000);
      }
    }
  };
  void loop();
  return {
    stop: () => {
      stopped = true;
      abort.abort();
      wake?.();
    },
  };
}
