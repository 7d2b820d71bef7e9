// The simulated tablets of the resilience benchmarks, run as a child process of
// bench/outage-catchup.ts and bench/store-soak.ts (see startFleet in resilience-common.ts).
// Each tablet is a PouchDB replica on LevelDB in a temp dir that replicates live with the
// store's operations database through the store gateway, as web/src/sync/sync-store.ts does:
// a push and a pull, retry on, back-off capped at 3 s, batches of 100, design documents never
// pushed, checkpoints on the device (other modes for comparison: see startSync).
// Order writers write orders as their terminal; kitchen replicas see new orders of their
// brand in their local changes feed and bump them (ticket_event preparing, then ready).
// The parent drives everything over IPC; this process only answers.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import PouchDB from 'pouchdb';
import type { Order, TicketEvent } from '../design-docs/lib/types';
import { order, ticketEvent, type TerminalSpec } from '../design-docs/testing/fixtures';

export interface FleetTerminalDef {
  /** Name of the simulated tablet (T1, K-AYAMGEPREK, ...). */
  name: string;
  username: string;
  password: string;
  spec: TerminalSpec;
  /** Order-number prefix (writers): numbers are <prefix>-<sequence>. */
  prefix: string;
  deviceId: string;
}

export interface FleetRequest {
  id: number;
  op: 'init' | 'startSync' | 'waitIdle' | 'queue' | 'status' | 'soakStart' | 'window' | 'soakStop' | 'stop';
  args: Record<string, unknown>;
}

export interface FleetResponse {
  id: number;
  result?: unknown;
  error?: string;
}

export interface ReplicaStatus {
  name: string;
  /** Documents in the tablet's replica, design documents not counted. */
  docCount: number;
  pushed: number;
  pulled: number;
  idle: boolean;
  /** Times the sync paused on an error and retried (expected while a server is down). */
  retries: number;
  errors: number;
  lastError: string | null;
}

export interface SoakWindow {
  /** Order write resolved on the writer's replica -> order in the brand kitchen replica's changes feed, ms. */
  orderToKitchen: number[];
  /** 'ready' written on the kitchen replica -> in the changes feed of the replica that wrote the order, ms. */
  readyToWriter: number[];
  placed: number;
  bumps: number;
  errors: string[];
  retries: number;
  /** Orders whose put resolved in this window: [id, epoch ms]. */
  committed: [string, number][];
  /** Orders that reached their brand's kitchen replica in this window: [id, epoch ms]. */
  seen: [string, number][];
}

/** The app's back-off (web/src/sync/sync-store.ts backOff): 0.5 s, doubling, at most 3 s apart. */
export function backOff(delay: number): number {
  return delay === 0 ? 500 : Math.min(Math.max(delay * 2, 500), 3000);
}

type Handle = { cancel(): void; on(event: 'complete', listener: () => void): unknown };
/** A replication's events, loosely typed (its typings have no 'requestError'). */
type Emitter = { cancel(): void; on(event: string, listener: (arg: never) => void): unknown };

export const SYNC_MODES = ['app', 'server-checkpoints', 'own-writes'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

const describe = (e: unknown): string => {
  const err = e as { status?: number; name?: string; message?: string; reason?: string } | null;
  if (!err) return 'unknown error';
  return `${err.status ?? ''} ${err.name ?? ''} ${err.reason ?? err.message ?? JSON.stringify(err)}`.replace(/\s+/g, ' ').trim();
};

class Replica {
  readonly db: PouchDB.Database;
  pushed = 0;
  pulled = 0;
  idle = false;
  /** A request failed since the last change went through. */
  failing = false;
  retries = 0;
  errors = 0;
  lastError: string | null = null;
  readonly handles: Handle[] = [];
  /** Errors since the last soak window. */
  readonly newErrors: string[] = [];
  newRetries = 0;

  constructor(
    readonly def: FleetTerminalDef,
    dir: string,
    readonly remoteUrl: string,
  ) {
    this.db = new PouchDB(join(dir, def.name));
  }

  private error(what: string, e: unknown) {
    this.errors++;
    this.lastError = `${what}: ${describe(e)}`;
    this.newErrors.push(`${this.def.name} ${this.lastError}`);
  }

  /**
   * Starts this tablet's replication with the store's operations database.
   * - 'app': as web/src/sync/sync-store.ts (since commit 83648af): a push and a pull, each live
   *   with retry and the capped back-off, batches of 100, design documents never pushed, and
   *   checkpoints kept on the device only (push checkpoint: 'source', pull: 'target');
   * - 'server-checkpoints': the app before 83648af: the same, but PouchDB's default
   *   checkpoints on both sides (a GET and a PUT of a _local document on the server per batch);
   * - 'own-writes': NOT what the app does: 'app', and the push sends only documents written on
   *   this device, so documents it pulled are not offered back to the server (_revs_diff).
   * pushOnly: no pull at all.
   */
  startSync(pushOnly: boolean, mode: SyncMode = 'app') {
    const remote = new PouchDB(this.remoteUrl, { auth: { username: this.def.username, password: this.def.password }, skip_setup: true });
    const opts = { live: true, retry: true, back_off_function: backOff, batch_size: 100 };
    const device = this.def.deviceId;
    const deviceSide = mode !== 'server-checkpoints';
    const filter =
      mode === 'own-writes'
        ? (doc: { _id: string; device_id?: string }) => !doc._id.startsWith('_design/') && doc.device_id === device
        : (doc: { _id: string }) => !doc._id.startsWith('_design/');
    const push = this.db.replicate.to(remote, { ...opts, filter, ...(deviceSide ? { checkpoint: 'source' as const } : {}) });
    const directions: [Emitter, 'push' | 'pull'][] = [[push as unknown as Emitter, 'push']];
    if (!pushOnly) {
      const pull = this.db.replicate.from(remote, { ...opts, ...(deviceSide ? { checkpoint: 'target' as const } : {}) });
      directions.push([pull as unknown as Emitter, 'pull']);
    }
    const idle = new Map<string, boolean>();
    for (const [h, direction] of directions) {
      idle.set(direction, false);
      h.on('change', (info: { docs_written?: number }) => {
        this.failing = false;
        if (direction === 'push') this.pushed += info.docs_written ?? 0;
        else this.pulled += info.docs_written ?? 0;
      });
      // A request failed and the replication will retry after its back-off.
      h.on('requestError', (err: unknown) => {
        this.retries++;
        this.newRetries++;
        this.failing = true;
        this.lastError = `${direction} retrying after: ${describe(err)}`;
      });
      h.on('paused', (err: unknown) => {
        idle.set(direction, !err);
        this.idle = [...idle.values()].every(Boolean);
      });
      h.on('active', () => {
        idle.set(direction, false);
        this.idle = false;
      });
      h.on('denied', (err: unknown) => this.error(`${direction} denied`, err));
      h.on('error', (err: unknown) => this.error(`${direction} error`, err));
      this.handles.push(h);
    }
  }

  async status(): Promise<ReplicaStatus> {
    const info = await this.db.info();
    // The pull also brings the store's design documents: count documents other than those.
    const design = await this.db.allDocs({ startkey: '_design/', endkey: '_design/\uffff' });
    return {
      name: this.def.name,
      docCount: info.doc_count - design.rows.length,
      pushed: this.pushed,
      pulled: this.pulled,
      idle: this.idle && !this.failing,
      retries: this.retries,
      errors: this.errors,
      lastError: this.lastError,
    };
  }

  async stop() {
    const stopped = this.handles.map((h) => new Promise<void>((resolve) => (h.on('complete', () => resolve()), setTimeout(resolve, 5000))));
    for (const h of this.handles) h.cancel();
    await Promise.all(stopped);
    await this.db.close().catch(() => {});
  }
}

// ---- state of this process ----

let dir = '';
let writers: Replica[] = [];
let kitchens: Replica[] = [];
const all = () => [...writers, ...kitchens];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const numberOf = (prefix: string, seq: number) => `${prefix}-${String(seq).padStart(4, '0')}`;

function newOrder(r: Replica, seq: number): Order {
  return order(r.def.spec, { number: numberOf(r.def.prefix, seq), device_id: r.def.deviceId, created_at: new Date().toISOString() });
}

// ---- outage catch-up ----

/** Every writer writes `perTerminal` orders into its own replica, one put at a time (as the app does). */
async function queue(perTerminal: number): Promise<{ ms: number; ids: string[] }> {
  const start = performance.now();
  const ids: string[][] = await Promise.all(
    writers.map(async (r) => {
      const mine: string[] = [];
      for (let i = 1; i <= perTerminal; i++) {
        const o = newOrder(r, i);
        await r.db.put(o);
        mine.push(o._id);
      }
      return mine;
    }),
  );
  return { ms: performance.now() - start, ids: ids.flat() };
}

// ---- store soak ----

interface Soak {
  stopAt: number;
  stopped: boolean;
  loop: Promise<void>;
  timers: Set<NodeJS.Timeout>;
  /** Order id -> when its put resolved, and which writer wrote it. */
  committed: Map<string, { at: number; writer: string }>;
  seenByKitchen: Set<string>;
  /** 'ready' event id -> when its put resolved on the kitchen replica. */
  readyWritten: Map<string, number>;
  window: SoakWindow;
  feeds: Handle[];
}

let soak: Soak | null = null;

const emptyWindow = (): SoakWindow => ({
  orderToKitchen: [],
  readyToWriter: [],
  placed: 0,
  bumps: 0,
  errors: [],
  retries: 0,
  committed: [],
  seen: [],
});
const epoch = (t: number) => performance.timeOrigin + t;

function soakStart(rate: number, durationMs: number, readyAfterMs: number): void {
  const s: Soak = {
    stopAt: performance.now() + durationMs,
    stopped: false,
    loop: Promise.resolve(),
    timers: new Set(),
    committed: new Map(),
    seenByKitchen: new Set(),
    readyWritten: new Map(),
    window: emptyWindow(),
    feeds: [],
  };
  soak = s;
  const bump = async (k: Replica, orderId: string, status: TicketEvent['status']) => {
    try {
      const ev = ticketEvent(k.def.spec, orderId, status);
      ev.device_id = k.def.deviceId;
      ev.created_at = new Date().toISOString();
      await k.db.put(ev);
      s.window.bumps++;
      if (status === 'ready') s.readyWritten.set(ev._id, performance.now());
    } catch (e) {
      s.window.errors.push(`${k.def.name} bump ${status}: ${describe(e)}`);
    }
  };
  for (const k of kitchens) {
    const feed = k.db.changes({ since: 'now', live: true, include_docs: true }).on('change', (c) => {
      const at = performance.now();
      const doc = c.doc as unknown as Partial<Order> | undefined;
      if (doc?.type !== 'order' || doc.brand !== k.def.spec.brand || s.seenByKitchen.has(c.id)) return;
      s.seenByKitchen.add(c.id);
      const w = s.committed.get(c.id);
      if (w) {
        s.window.orderToKitchen.push(at - w.at);
        s.window.seen.push([c.id, epoch(at)]);
      }
      if (s.stopped) return;
      void bump(k, c.id, 'preparing');
      const t = setTimeout(() => {
        s.timers.delete(t);
        if (!s.stopped) void bump(k, c.id, 'ready');
      }, readyAfterMs);
      s.timers.add(t);
    });
    s.feeds.push(feed as unknown as Handle);
  }
  for (const w of writers) {
    const feed = w.db.changes({ since: 'now', live: true, include_docs: true }).on('change', (c) => {
      const at = performance.now();
      const doc = c.doc as unknown as Partial<TicketEvent> | undefined;
      if (doc?.type !== 'ticket_event' || doc.status !== 'ready') return;
      const written = s.readyWritten.get(c.id);
      if (written === undefined || s.committed.get(doc.order_id ?? '')?.writer !== w.def.name) return;
      s.window.readyToWriter.push(at - written);
      s.readyWritten.delete(c.id);
    });
    s.feeds.push(feed as unknown as Handle);
  }
  const interval = 1000 / rate;
  const seq = new Map<string, number>();
  s.loop = (async () => {
    const start = performance.now();
    for (let k = 0; !s.stopped; k++) {
      const due = start + k * interval;
      if (due >= s.stopAt) break;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (s.stopped) break;
      const w = writers[k % writers.length]!;
      const n = (seq.get(w.def.name) ?? 0) + 1;
      seq.set(w.def.name, n);
      const o = newOrder(w, n);
      try {
        await w.db.put(o);
        const at = performance.now();
        s.committed.set(o._id, { at, writer: w.def.name });
        s.window.committed.push([o._id, epoch(at)]);
        s.window.placed++;
      } catch (e) {
        s.window.errors.push(`${w.def.name} order put: ${describe(e)}`);
      }
    }
  })();
}

function takeWindow(): SoakWindow {
  if (!soak) return emptyWindow();
  const w = soak.window;
  soak.window = emptyWindow();
  for (const r of all()) {
    w.errors.push(...r.newErrors.splice(0));
    w.retries += r.newRetries;
    r.newRetries = 0;
  }
  return w;
}

async function soakStop(graceMs: number): Promise<{ placed: number; unseen: number }> {
  const s = soak;
  if (!s) return { placed: 0, unseen: 0 };
  await s.loop;
  const unseen = () => [...s.committed.keys()].filter((id) => !s.seenByKitchen.has(id)).length;
  const deadline = performance.now() + graceMs;
  while (unseen() > 0 && performance.now() < deadline) await sleep(100);
  s.stopped = true;
  for (const t of s.timers) clearTimeout(t);
  s.timers.clear();
  for (const f of s.feeds) f.cancel();
  return { placed: s.committed.size, unseen: unseen() };
}

// ---- wiring ----

async function waitIdle(timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (all().every((r) => r.idle && !r.failing)) return;
    await sleep(100);
  }
  const busy = all()
    .filter((r) => !r.idle || r.failing)
    .map((r) => `${r.def.name} (${r.lastError ?? 'busy'})`);
  throw new Error(`replicas not caught up within ${timeoutMs} ms: ${busy.join(', ')}`);
}

async function stopAll(): Promise<void> {
  if (soak) {
    // Interrupted: the order loop must not run to its planned end.
    soak.stopped = true;
    await soakStop(0);
    soak = null;
  }
  await Promise.all(all().map((r) => r.stop()));
  writers = [];
  kitchens = [];
  if (dir) rmSync(dir, { recursive: true, force: true });
}

async function handle(req: FleetRequest): Promise<unknown> {
  const a = req.args;
  switch (req.op) {
    case 'init': {
      dir = String(a.dir);
      const remoteUrl = String(a.remoteUrl);
      writers = (a.writers as FleetTerminalDef[]).map((d) => new Replica(d, dir, remoteUrl));
      kitchens = ((a.kitchens as FleetTerminalDef[] | undefined) ?? []).map((d) => new Replica(d, dir, remoteUrl));
      return { writers: writers.length, kitchens: kitchens.length };
    }
    case 'startSync':
      for (const r of all()) r.startSync(a.pushOnly === true, (a.mode as SyncMode | undefined) ?? 'app');
      return null;
    case 'waitIdle':
      return waitIdle(Number(a.timeoutMs ?? 60_000));
    case 'queue':
      return queue(Number(a.perTerminal));
    case 'status':
      return Promise.all(all().map((r) => r.status()));
    case 'soakStart':
      soakStart(Number(a.rate), Number(a.durationMs), Number(a.readyAfterMs));
      return null;
    case 'window':
      return takeWindow();
    case 'soakStop':
      return soakStop(Number(a.graceMs ?? 15_000));
    case 'stop':
      return stopAll();
  }
}

if (process.send) {
  process.on('message', (req: FleetRequest) => {
    handle(req).then(
      (result) => process.send!({ id: req.id, result: result ?? null } satisfies FleetResponse),
      (e: Error) => process.send!({ id: req.id, error: e.message } satisfies FleetResponse),
    );
  });
  // The parent went away (or is done): leave nothing running.
  process.on('disconnect', () => {
    void stopAll()
      .catch(() => {})
      .finally(() => process.exit(0));
  });
}
