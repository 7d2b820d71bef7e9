// Outage catch-up: simulated tablets keep taking orders into their local PouchDB while the
// store server is down, then the store server comes back and everything they queued has to
// reach it and, through the store's continuous replication, central.
//
//   1. lapak     N tablets (PouchDB replicas on LevelDB, in a child process) sync live with
//                the store's operations database through the store gateway, as the app does
//                (both ways, retry, back-off capped at 3 s). The store side is stopped
//                (stack.stopSide('store'): PouchDB Server, gateway and relay), each tablet
//                writes M orders, one put at a time; the store side is started again.
//   2. baseline  the same number of orders (same builder, same terminal accounts, fresh ids)
//                POSTed by a plain sequential _bulk_docs loop, 100 per batch, straight to the
//                store database through the gateway.
//
// "At the store" / "at central": the database's doc_count (GET /{db} as the server admin,
// straight to each PouchDB Server) polled every 250 ms until it reaches the count before the
// run plus N. Orders are never deleted and nothing else writes the operations database during
// the run, so the count reaching base + N means all N arrived; at the end every id is looked
// up (_all_docs with keys) at both servers to confirm. Times start when the store server
// answers again (lapak) or at the first POST (baseline). Prints figures; asserts nothing.
//
// Usage: npx tsx bench/outage-catchup.ts [--terminals 10] [--orders 1000] [--outage 30] [--push-only] [--deadline 600]
//                                        [--sync app|server-checkpoints|own-writes]
//   --outage: the store stays down at least this many seconds (the tablets' retries reach
//   their 3-s cap); --push-only: the tablets only push (the app also pulls); --sync: as in
//   bench/store-soak.ts ('app', the default, replicates as the app does); --deadline:
//   seconds to wait for each phase to complete.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { CouchEndpoint } from '../couch/config';
import type { Order } from '../design-docs/lib/types';
import { order, type TerminalSpec } from '../design-docs/testing/fixtures';
import {
  accountOf,
  cleaner,
  countPresent,
  dbInfo,
  fmt,
  intOption,
  log,
  OPS_DB,
  ORDER_WRITERS,
  ratio,
  sleep,
  startBenchStack,
  startFleet,
  STORE,
  SYNC_LABEL,
  syncMode,
  table,
  TENANT,
  type BenchStack,
  type Fleet,
} from './resilience-common';
import type { FleetTerminalDef, ReplicaStatus } from './resilience-fleet';

const TARGET_CENTRAL_S = 120;
const POLL_MS = 250;

function options() {
  const { values } = parseArgs({
    options: {
      terminals: { type: 'string', default: '10' },
      orders: { type: 'string', default: '1000' },
      'push-only': { type: 'boolean', default: false },
      sync: { type: 'string', default: 'app' },
      deadline: { type: 'string', default: '600' },
      outage: { type: 'string', default: '30' },
    },
  });
  return {
    terminals: intOption('terminals', values.terminals, 1, 60),
    orders: intOption('orders', values.orders, 1, 20_000),
    pushOnly: values['push-only']!,
    sync: syncMode(values.sync),
    deadlineMs: intOption('deadline', values.deadline, 10, 3600) * 1000,
    outageMs: intOption('outage', values.outage, 0, 3600) * 1000,
  };
}

const deviceId = () => `dev_${randomBytes(6).toString('hex')}`;

function writerSpec(i: number): TerminalSpec {
  const w = ORDER_WRITERS[i % ORDER_WRITERS.length]!;
  return { tenant: TENANT, store: STORE, code: w.code, type: w.type, brand: w.brand };
}

interface Arrival {
  /** Seconds from t0 until doc_count reached the target, or null if it did not before the deadline. */
  seconds: number | null;
  last: number;
}

/** Polls doc_count of `db` until it reaches `target`; times from `t0` (performance.now()). */
async function arrival(
  couch: CouchEndpoint,
  target: number,
  t0: number,
  deadline: number,
  progress: (n: number) => void,
): Promise<Arrival> {
  let last = -1;
  while (performance.now() < deadline) {
    try {
      last = (await dbInfo(couch, OPS_DB)).doc_count;
      progress(last);
      if (last >= target) return { seconds: (performance.now() - t0) / 1000, last };
    } catch {
      // still starting, or busy: try again
    }
    await sleep(POLL_MS);
  }
  return { seconds: null, last };
}

interface PhaseResult {
  store: Arrival;
  central: Arrival;
  presentStore: number;
  presentCentral: number;
}

async function main(): Promise<void> {
  const opts = options();
  const total = opts.terminals * opts.orders;
  let bench: BenchStack | null = null;
  let fleet: Fleet | null = null;
  const fleetDir = mkdtempSync(join(tmpdir(), 'lapak-outage-fleet-'));
  const cleanup = cleaner({ fleet: () => fleet, bench: () => bench, dirs: [fleetDir] });
  const watchdog = setTimeout(
    () => {
      log('still running after the watchdog limit; stopping');
      void cleanup().finally(() => process.exit(2));
    },
    3 * opts.deadlineMs + 10 * 60_000,
  );
  const interrupted = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    const started = Date.now();
    bench = await startBenchStack();
    const b = bench;
    const { store, central } = b.config;
    log(`stack up and demo tenant seeded in ${((Date.now() - started) / 1000).toFixed(1)} s; store gateway ${b.storeUrl}`);

    // ---- 1. lapak: queue during an outage, then catch up ----
    fleet = startFleet();
    const defs: FleetTerminalDef[] = Array.from({ length: opts.terminals }, (_, i) => {
      const spec = writerSpec(i);
      return { name: `T${i + 1}`, ...accountOf(b, spec.code), spec, prefix: `T${i + 1}`, deviceId: deviceId() };
    });
    await fleet.call('init', { dir: fleetDir, remoteUrl: b.storeOpsUrl, writers: defs });
    await fleet.call('startSync', { pushOnly: opts.pushOnly, mode: opts.sync });
    await fleet.call('waitIdle', { timeoutMs: 60_000 }, 70_000);
    log(`${opts.terminals} tablets replicating live with the store (${opts.pushOnly ? 'push only, ' : ''}${SYNC_LABEL[opts.sync]})`);
    // Let the store -> central replication settle before taking the counts.
    await sleep(2000);
    const storeBase = (await dbInfo(store, OPS_DB)).doc_count;
    const centralBase = (await dbInfo(central, OPS_DB)).doc_count;

    const downAt = performance.now();
    await b.stack.stopSide('store');
    log('store side stopped (PouchDB Server, gateway, relay): the tablets are cut off');
    const queued = await fleet.call<{ ms: number; ids: string[] }>('queue', { perTerminal: opts.orders }, opts.deadlineMs);
    log(
      `queued ${queued.ids.length} orders locally in ${(queued.ms / 1000).toFixed(1)} s (${fmt(queued.ids.length / (queued.ms / 1000), 0)} puts/s)`,
    );
    // The store stays down at least --outage seconds, so the tablets' retries back off to their cap.
    await sleep(downAt + opts.outageMs - performance.now());
    const outageStatus = await fleet.call<ReplicaStatus[]>('status');
    const outageS = (performance.now() - downAt) / 1000;
    const loadBefore = loadavg()[0]!;

    const bootCall = performance.now();
    await b.stack.startSide('store');
    const t0 = performance.now();
    const bootS = (t0 - bootCall) / 1000;
    log(`store side answering again after ${bootS.toFixed(1)} s of start-up; timing from now`);
    const deadline = t0 + opts.deadlineMs;
    let storeNow = 0;
    let centralNow = 0;
    const ticker = setInterval(
      () =>
        log(
          `  +${((performance.now() - t0) / 1000).toFixed(0)} s: store ${storeNow - storeBase}/${total}, central ${centralNow - centralBase}/${total}`,
        ),
      5000,
    );
    let lapak: PhaseResult;
    let converged: number | null = null;
    let statusAtEnd: ReplicaStatus[] = [];
    let loadAfter = NaN;
    try {
      const watchConvergence = async () => {
        // Both ways, every tablet also pulls everyone else's orders: when does each hold all of them?
        if (opts.pushOnly) return;
        while (performance.now() < deadline) {
          const st = await fleet!.call<ReplicaStatus[]>('status').catch(() => [] as ReplicaStatus[]);
          if (st.length && st.every((s) => s.docCount >= total)) return void (converged = (performance.now() - t0) / 1000);
          await sleep(1000);
        }
      };
      const [s, c] = await Promise.all([
        arrival(store, storeBase + total, t0, deadline, (n) => (storeNow = n)),
        arrival(central, centralBase + total, t0, deadline, (n) => (centralNow = n)),
        watchConvergence(),
      ]);
      statusAtEnd = await fleet.call<ReplicaStatus[]>('status');
      loadAfter = loadavg()[0]!;
      lapak = {
        store: s,
        central: c,
        presentStore: await countPresent(store, OPS_DB, queued.ids),
        presentCentral: await countPresent(central, OPS_DB, queued.ids),
      };
    } finally {
      clearInterval(ticker);
    }
    await fleet.stop();
    fleet = null;

    // ---- 2. baseline: the same number of orders by a plain _bulk_docs loop ----
    await sleep(2000);
    const storeBase2 = (await dbInfo(store, OPS_DB)).doc_count;
    const centralBase2 = (await dbInfo(central, OPS_DB)).doc_count;
    const batches: { auth: string; docs: Order[] }[] = [];
    const baselineIds: string[] = [];
    for (let i = 0; i < opts.terminals; i++) {
      const spec = writerSpec(i);
      const a = accountOf(b, spec.code);
      const auth = 'Basic ' + Buffer.from(`${a.username}:${a.password}`).toString('base64');
      const device_id = deviceId();
      const docs = Array.from({ length: opts.orders }, (_, j) =>
        order(spec, { number: `B${i + 1}-${String(j + 1).padStart(4, '0')}`, device_id, created_at: new Date().toISOString() }),
      );
      for (const d of docs) baselineIds.push(d._id);
      for (let k = 0; k < docs.length; k += 100) batches.push({ auth, docs: docs.slice(k, k + 100) });
    }
    log(`baseline: ${total} orders in ${batches.length} _bulk_docs batches to ${b.storeOpsUrl}`);
    const t1 = performance.now();
    const deadline2 = t1 + opts.deadlineMs;
    let rejected = 0;
    const send = (async () => {
      for (const batch of batches) {
        const res = await fetch(`${b.storeOpsUrl}/_bulk_docs`, {
          method: 'POST',
          headers: { authorization: batch.auth, 'content-type': 'application/json' },
          body: JSON.stringify({ docs: batch.docs }),
        });
        const rows = (await res.json()) as { error?: string }[] | { error: string };
        if (!res.ok || !Array.isArray(rows)) throw new Error(`_bulk_docs: HTTP ${res.status} ${JSON.stringify(rows).slice(0, 200)}`);
        rejected += rows.filter((r) => r.error).length;
      }
      return (performance.now() - t1) / 1000;
    })();
    storeNow = storeBase2;
    centralNow = centralBase2;
    const ticker2 = setInterval(
      () =>
        log(
          `  +${((performance.now() - t1) / 1000).toFixed(0)} s: store ${storeNow - storeBase2}/${total}, central ${centralNow - centralBase2}/${total}`,
        ),
      5000,
    );
    let baseline: PhaseResult;
    let acked: number;
    let loadBaseline = NaN;
    try {
      const [ackS, s, c] = await Promise.all([
        send,
        arrival(store, storeBase2 + total, t1, deadline2, (n) => (storeNow = n)),
        arrival(central, centralBase2 + total, t1, deadline2, (n) => (centralNow = n)),
      ]);
      acked = ackS;
      loadBaseline = loadavg()[0]!;
      baseline = {
        store: s,
        central: c,
        presentStore: await countPresent(store, OPS_DB, baselineIds),
        presentCentral: await countPresent(central, OPS_DB, baselineIds),
      };
    } finally {
      clearInterval(ticker2);
    }

    report({
      opts,
      total,
      lapak,
      baseline,
      acked,
      rejected,
      queued,
      outageS,
      bootS,
      converged,
      outageStatus,
      statusAtEnd,
      load: [loadBefore, loadAfter, loadBaseline],
      wholeS: (Date.now() - started) / 1000,
    });
  } catch (e) {
    if (bench?.stackLog.length) log(`last server log lines:\n${bench.stackLog.slice(-20).join('\n')}`);
    throw e;
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

function report(r: {
  opts: ReturnType<typeof options>;
  total: number;
  lapak: PhaseResult;
  baseline: PhaseResult;
  acked: number;
  rejected: number;
  queued: { ms: number; ids: string[] };
  outageS: number;
  bootS: number;
  converged: number | null;
  outageStatus: ReplicaStatus[];
  statusAtEnd: ReplicaStatus[];
  load: number[];
  wholeS: number;
}): void {
  const { total, lapak, baseline } = r;
  const secs = (a: Arrival) => (a.seconds === null ? `> deadline (${a.last} docs)` : a.seconds.toFixed(1));
  const rate = (a: Arrival) => (a.seconds === null ? 'n/a' : fmt(total / a.seconds, 0));
  const row = (label: string, p: PhaseResult) => [
    label,
    String(total),
    secs(p.store),
    rate(p.store),
    secs(p.central),
    rate(p.central),
    `${p.presentStore}/${p.presentCentral}`,
  ];
  console.log('');
  console.log(
    `outage catch-up: ${r.opts.terminals} tablets x ${r.opts.orders} orders = ${total} orders; ` +
      `tablets ${r.opts.pushOnly ? 'push only' : 'push and pull'}, ${SYNC_LABEL[r.opts.sync]}; arrival = doc_count polled every ${POLL_MS} ms as admin`,
  );
  console.log('');
  console.log(
    table(
      ['run', 'docs', 'at store s', 'store docs/s', 'at central s', 'central docs/s', 'ids found store/central'],
      [row('lapak: queued offline, then reconnect', lapak), row('baseline: _bulk_docs loop, 100/batch', baseline)],
    ),
  );
  console.log('');
  console.log(
    `ratio lapak/baseline: at store ${ratio(lapak.store.seconds ?? undefined, baseline.store.seconds ?? undefined)}, ` +
      `at central ${ratio(lapak.central.seconds ?? undefined, baseline.central.seconds ?? undefined)}`,
  );
  console.log(
    `lapak: outage lasted ${r.outageS.toFixed(1)} s; ${r.queued.ids.length} local puts took ${(r.queued.ms / 1000).toFixed(1)} s ` +
      `(${fmt(r.queued.ids.length / (r.queued.ms / 1000), 0)}/s across the tablets); store side start-up ${r.bootS.toFixed(1)} s (not counted); ` +
      `sync retries during the outage ${r.outageStatus.reduce((s, x) => s + x.retries, 0)}`,
  );
  if (!r.opts.pushOnly)
    console.log(
      `lapak: every tablet holding all ${total} orders (it pulls the others' too): ${r.converged === null ? 'not within the deadline' : `${r.converged.toFixed(1)} s`}`,
    );
  const errors = r.statusAtEnd.filter((s) => s.errors > 0);
  console.log(
    `lapak: replication errors (denied or fatal): ${errors.length ? errors.map((s) => `${s.name}: ${s.errors} (${s.lastError})`).join('; ') : 'none'}`,
  );
  console.log(
    `baseline: all ${baseline.store.seconds === null ? '?' : total} acknowledged by the store after ${r.acked.toFixed(1)} s; rejected rows ${r.rejected}`,
  );
  const met = lapak.central.seconds !== null && lapak.central.seconds <= TARGET_CENTRAL_S;
  console.log(
    `target: all ${total} at central within ${TARGET_CENTRAL_S} s of reconnecting: ${met ? 'met' : 'not met'} (${secs(lapak.central)} s)`,
  );
  console.log(
    `machine load (1-min average, 2 cores): at reconnect ${fmt(r.load[0], 2)}, when lapak caught up ${fmt(r.load[1], 2)}, after the baseline ${fmt(r.load[2], 2)}`,
  );
  console.log(`(whole run ${r.wholeS.toFixed(0)} s)`);
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(e.stack ?? e.message);
    process.exit(1);
  },
);
