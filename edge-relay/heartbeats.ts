// heartbeat:<CODE> documents in the store directory, written with the relay's own account
// for the terminals connected to it. One writer per terminal at a time (writes are queued
// per code), conflicts are resolved by re-reading _rev, and no CouchDB error ever escapes:
// a failed write is logged and the next tick tries again.
import { dbName } from '../design-docs/lib/names';
import type { Heartbeat } from '../design-docs/lib/types';
import { structureErrors } from '../design-docs/lib/structure';
import type { Credentials } from './config';
import { couchRequest, errorText } from './couch';
import type { HeartbeatInfo } from './presence';

/** A terminal is online when it was seen within the window (default 5 minutes) before `now`. */
export function isOnline(lastSeen: string, now: Date, windowMs = 5 * 60_000): boolean {
  const seen = Date.parse(lastSeen);
  if (Number.isNaN(seen)) return false;
  const age = now.getTime() - seen;
  // A clock slightly ahead of ours still counts as seen; far in the future is nonsense.
  return age <= windowMs && age >= -windowMs;
}

/** Remembers when each key last ran and says whether it may run again. */
export class Throttle {
  private readonly last = new Map<string, number>();

  constructor(readonly intervalMs: number) {}

  /** True, and remembered as a run at `nowMs`, when the key never ran or last ran at least `gapMs` ago. */
  take(key: string, nowMs: number, gapMs = this.intervalMs): boolean {
    const prev = this.last.get(key);
    if (prev !== undefined && nowMs - prev < gapMs && nowMs >= prev) return false;
    this.last.set(key, nowMs);
    return true;
  }

  forget(key: string): void {
    this.last.delete(key);
  }
}

export type HeartbeatOutcome =
  | 'written'
  /** No binding:<CODE>: the terminal was never paired, or was unassigned. */
  | 'unbound'
  /** The connection says it is another device than the one the terminal is bound to. */
  | 'wrong-device'
  | 'failed';

export interface HeartbeatWriterOptions {
  storeUrl: string;
  auth: Credentials;
  tenant: string;
  store: string;
  timeoutMs: number;
  log: (line: string) => void;
}

const MAX_CONFLICT_RETRIES = 3;

export class HeartbeatWriter {
  private readonly db: string;
  private readonly revs = new Map<string, string>();
  private readonly queues = new Map<string, Promise<HeartbeatOutcome>>();

  constructor(private readonly opts: HeartbeatWriterOptions) {
    this.db = dbName.directory(opts.tenant, opts.store);
  }

  /** Writes heartbeat:<code> with last_seen = now, after any write for the same code still in flight. Never rejects. */
  write(code: string, info: HeartbeatInfo, now: () => Date = () => new Date()): Promise<HeartbeatOutcome> {
    const prev = this.queues.get(code) ?? Promise.resolve<HeartbeatOutcome>('written');
    const next = prev
      .then(() => this.writeNow(code, info, now()))
      .catch((e: unknown) => {
        this.opts.log(`heartbeat ${code}: ${errorText(e)}`);
        return 'failed' as const;
      });
    this.queues.set(code, next);
    void next.then(() => {
      if (this.queues.get(code) === next) this.queues.delete(code);
    });
    return next;
  }

  /** Resolves when every queued write has finished. */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  private request(method: string, id: string, body?: unknown) {
    return couchRequest(this.opts.storeUrl, method, `${encodeURIComponent(this.db)}/${encodeURIComponent(id)}`, {
      auth: this.opts.auth,
      body,
      timeoutMs: this.opts.timeoutMs,
    });
  }

  private async writeNow(code: string, info: HeartbeatInfo, seen: Date): Promise<HeartbeatOutcome> {
    const binding = await this.request('GET', `binding:${code}`);
    if (binding.status === 404) return 'unbound';
    if (binding.status !== 200) {
      this.opts.log(`heartbeat ${code}: reading its binding answered HTTP ${binding.status} ${JSON.stringify(binding.body)}`);
      return 'failed';
    }
    const boundDevice = typeof binding.body.device_id === 'string' ? binding.body.device_id : undefined;
    if (info.device_id !== undefined && boundDevice !== undefined && info.device_id !== boundDevice) return 'wrong-device';

    const id = `heartbeat:${code}`;
    for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
      let rev = this.revs.get(code);
      if (rev === undefined) {
        const current = await this.request('GET', id);
        if (current.status === 200 && typeof current.body._rev === 'string') rev = current.body._rev;
        else if (current.status !== 404) {
          this.opts.log(`heartbeat ${code}: reading it answered HTTP ${current.status} ${JSON.stringify(current.body)}`);
          return 'failed';
        }
      }
      const doc: Heartbeat = {
        _id: id,
        ...(rev ? { _rev: rev } : {}),
        type: 'heartbeat',
        schema: 1,
        tenant: this.opts.tenant,
        store: this.opts.store,
        terminal: code,
        last_seen: seen.toISOString(),
      };
      const device = info.device_id ?? boundDevice;
      if (device !== undefined) doc.device_id = device;
      if (info.app_version !== undefined) doc.app_version = info.app_version;
      const errors = structureErrors(doc as unknown as Record<string, unknown>);
      if (errors.length > 0) {
        // Drop what the client supplied rather than write nothing.
        delete doc.device_id;
        delete doc.app_version;
        this.opts.log(`heartbeat ${code}: left out device_id/app_version (${errors.join('; ')})`);
      }
      const res = await this.request('PUT', id, doc);
      if (res.status === 201 || res.status === 202) {
        if (typeof res.body.rev === 'string') this.revs.set(code, res.body.rev);
        return 'written';
      }
      this.revs.delete(code);
      if (res.status === 409) continue; // someone else (the terminal itself) wrote it: re-read _rev and retry
      this.opts.log(`heartbeat ${code}: the store server answered HTTP ${res.status} ${JSON.stringify(res.body)}`);
      return 'failed';
    }
    this.opts.log(`heartbeat ${code}: still conflicting after ${MAX_CONFLICT_RETRIES} retries`);
    return 'failed';
  }
}
