// The Node-to-Node reference: two PouchDB replicas in this process, each syncing live with
// the store server's operations database through the gateway, as a device would. Orders
// written on one are timed until they appear in the other's local changes feed. This is
// the replication path of the kiosk-to-kitchen benchmark without a browser or a render.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import PouchDB from 'pouchdb';
import type { Order } from '../design-docs/lib/types';

export interface Account {
  username: string;
  password: string;
}

export interface NodeReferenceResult {
  latencies: number[];
  lost: number;
}

type Handle = { cancel(): void; on(event: 'complete', listener: () => void): unknown };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when a live sync first reports being caught up (paused without error). */
function caughtUp(sync: PouchDB.Replication.Sync<object>, what: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: initial sync did not finish within ${timeoutMs} ms`)), timeoutMs);
    sync.on('paused', (err) => {
      if (err) return;
      clearTimeout(timer);
      resolve();
    });
    sync.on('denied', (err) => reject(new Error(`${what}: a write was denied: ${JSON.stringify(err)}`)));
  });
}

export async function nodeReference(opts: {
  /** The store database through the gateway, e.g. http://127.0.0.1:8080/db/lapak_yogya_bsd_ops */
  remoteUrl: string;
  dir: string;
  writer: Account;
  reader: Account;
  /** Warm-up orders first (not counted), then the measured ones; written by the writer's terminal. */
  warmup: Order[];
  orders: Order[];
  intervalMs: number;
}): Promise<NodeReferenceResult> {
  const writer = new PouchDB(join(opts.dir, 'node-writer'));
  const reader = new PouchDB(join(opts.dir, 'node-reader'));
  const remote = (a: Account) => new PouchDB(opts.remoteUrl, { auth: a, skip_setup: true });
  const handles: Handle[] = [];
  const committed = new Map<string, number>();
  const seen = new Map<string, number>();
  try {
    const live = { live: true, retry: true, batch_size: 100 };
    const w = writer.sync(remote(opts.writer), live);
    const r = reader.sync(remote(opts.reader), live);
    handles.push(w, r);
    await Promise.all([caughtUp(w, 'writer', 60_000), caughtUp(r, 'reader', 60_000)]);
    const feed = reader.changes({ since: 'now', live: true }).on('change', (c) => {
      if (!seen.has(c.id)) seen.set(c.id, performance.now());
    });
    handles.push(feed);

    const run = async (orders: Order[]) => {
      const start = performance.now();
      for (let i = 0; i < orders.length; i++) {
        const wait = start + i * opts.intervalMs - performance.now();
        if (wait > 0) await sleep(wait);
        await writer.put(orders[i]!);
        committed.set(orders[i]!._id, performance.now());
      }
      const deadline = performance.now() + 15_000;
      while (performance.now() < deadline && orders.some((o) => !seen.has(o._id))) await sleep(50);
    };
    await run(opts.warmup);
    await sleep(300);
    await run(opts.orders);

    const latencies: number[] = [];
    for (const o of opts.orders) {
      const at = seen.get(o._id);
      if (at !== undefined) latencies.push(at - committed.get(o._id)!);
    }
    return { latencies, lost: opts.orders.length - latencies.length };
  } finally {
    // Wait until the replications have really stopped, so no request is left in flight when the servers go.
    const stopped = handles.map((h) => new Promise<void>((resolve) => (h.on('complete', resolve), setTimeout(resolve, 5000))));
    for (const h of handles) h.cancel();
    await Promise.all(stopped);
    await Promise.allSettled([writer.destroy(), reader.destroy()]);
  }
}
