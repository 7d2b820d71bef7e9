// Store soak: a busy store for minutes on end. Simulated tablets (PouchDB replicas on LevelDB
// in a child process, syncing live both ways with the store's operations database through
// the store gateway, as the app does) place orders at a steady pace, round robin; one
// simulated kitchen display per brand sees each new order of its brand in its local changes
// feed and bumps it ('preparing' at once, 'ready' a few seconds later), and those bumps
// replicate back to every tablet. Every minute it prints:
//   - order-to-kitchen latency p50/p95/p99/max: from the order's put resolving on the
//     writer's replica to the order appearing in the brand kitchen replica's changes feed;
//   - ready-to-writer p50/p95: the kitchen's 'ready' put -> the writer's changes feed;
//   - the store PouchDB Server process's RSS (VmRSS, /proc/<pid>/status) and CPU %
//     ((utime + stime) over the minute, /proc/<pid>/stat; 100 % = one core), and the CPU % of
//     this process, which runs the store and central gateways;
//   - errors (failed writes, denied documents, sync errors) and sync retries.
// At the end a summary and whether the targets hold: p95 < 1 s in every minute, and the
// store server's memory flat and under 300 MB. Prints figures; asserts nothing.
//
// Usage: npx tsx bench/store-soak.ts [--terminals 30] [--minutes 10] [--rate 1] [--ready-after 5]
//                                     [--sync app|server-checkpoints|own-writes]
//   --rate is orders per second across the whole store; --ready-after is seconds from
//   'preparing' to 'ready'; --sync: 'app' replicates as the app does (the default),
//   'server-checkpoints' as the app did before commit 83648af (checkpoints on the server too),
//   'own-writes' is NOT what the app does: the app plus a push of only what the tablet wrote
//   (see startSync in resilience-fleet.ts).
//
// Only simulated tablets (Node PouchDB); no Chromium pages: on the 2-core machine the
// figures are for, a browser would compete with the store server for CPU
// (bench/kiosk-to-kitchen.ts measures the real app in Chromium).
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { TerminalSpec } from '../design-docs/testing/fixtures';
import {
  accountOf,
  cleaner,
  cpuSeconds,
  dbInfo,
  findPouchServerPid,
  waitPouchServerPid,
  fmt,
  intOption,
  KITCHENS,
  log,
  numOption,
  OPS_DB,
  ORDER_WRITERS,
  pcts,
  rssMiB,
  sleep,
  startBenchStack,
  startFleet,
  STORE,
  table,
  TENANT,
  type BenchStack,
  type Fleet,
  type Pcts,
  SYNC_LABEL,
  syncMode,
  watchChanges,
} from './resilience-common';
import type { FleetTerminalDef, SoakWindow } from './resilience-fleet';

const TARGET_P95_MS = 1000;
const TARGET_RSS_MIB = 300;
/** Memory counts as flat when, after the first minute, its least-squares trend grows less than this. */
const FLAT_MIB_PER_MIN = 1;
const RSS_SAMPLE_MS = 5000;
const GRACE_MS = 15_000;

function options() {
  const { values } = parseArgs({
    options: {
      terminals: { type: 'string', default: '30' },
      minutes: { type: 'string', default: '10' },
      rate: { type: 'string', default: '1' },
      'ready-after': { type: 'string', default: '5' },
      sync: { type: 'string', default: 'app' },
    },
  });
  return {
    terminals: intOption('terminals', values.terminals, 1, 200),
    minutes: numOption('minutes', values.minutes, 0.25, 240),
    rate: numOption('rate', values.rate, 0.01, 100),
    readyAfterMs: numOption('ready-after', values['ready-after'], 0, 600) * 1000,
    sync: syncMode(values.sync),
  };
}

const deviceId = () => `dev_${randomBytes(6).toString('hex')}`;

interface Minute {
  label: string;
  o2k: Pcts;
  /** Split of the orders seen by a kitchen in this minute: writer put -> store server, store server -> kitchen. */
  toStore: Pcts;
  fromStore: Pcts;
  r2w: Pcts;
  placed: number;
  bumps: number;
  errors: string[];
  retries: number;
  rss: number;
  cpu: number;
  gatewayCpu: number;
  fleetCpu: number;
  load: number;
}

function line(m: Minute): string[] {
  return [
    m.label,
    String(m.placed),
    String(m.o2k.n),
    fmt(m.o2k.p50),
    fmt(m.o2k.p95),
    fmt(m.o2k.p99),
    fmt(m.o2k.max),
    fmt(m.toStore.p95),
    fmt(m.fromStore.p95),
    fmt(m.r2w.p95),
    String(m.bumps),
    fmt(m.rss),
    fmt(m.cpu),
    fmt(m.gatewayCpu),
    fmt(m.fleetCpu),
    fmt(m.load, 2),
    String(m.errors.length),
    String(m.retries),
  ];
}

const HEAD = [
  'minute',
  'orders',
  'seen',
  'o2k p50',
  'p95',
  'p99',
  'max ms',
  '->store p95',
  'store-> p95',
  'ready p95',
  'bumps',
  'RSS MiB',
  'CPU %',
  'gw CPU %',
  'tabs CPU %',
  'load1',
  'errors',
  'retries',
];

async function main(): Promise<void> {
  const opts = options();
  const durationMs = Math.round(opts.minutes * 60_000);
  let bench: BenchStack | null = null;
  let fleet: Fleet | null = null;
  let stopWatch = () => {};
  const fleetDir = mkdtempSync(join(tmpdir(), 'lapak-soak-fleet-'));
  const clean = cleaner({ fleet: () => fleet, bench: () => bench, dirs: [fleetDir] });
  const cleanup = () => (stopWatch(), clean());
  const watchdog = setTimeout(
    () => {
      log('still running after the watchdog limit; stopping');
      void cleanup().finally(() => process.exit(2));
    },
    durationMs + 10 * 60_000,
  );
  const interrupted = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    const started = Date.now();
    bench = await startBenchStack();
    const b = bench;
    const embedded = b.config.store.embedded;
    const port = b.config.store.port;
    const pid = embedded ? await waitPouchServerPid(port) : null;
    log(
      `stack up and demo tenant seeded in ${((Date.now() - started) / 1000).toFixed(1)} s; store gateway ${b.storeUrl}; ` +
        `store PouchDB Server pid ${pid ?? 'not found (not embedded?)'}`,
    );

    fleet = startFleet();
    const writers: FleetTerminalDef[] = Array.from({ length: opts.terminals }, (_, i) => {
      const w = ORDER_WRITERS[i % ORDER_WRITERS.length]!;
      const spec: TerminalSpec = { tenant: TENANT, store: STORE, code: w.code, type: w.type, brand: w.brand };
      return { name: `T${i + 1}`, ...accountOf(b, w.code), spec, prefix: `T${i + 1}`, deviceId: deviceId() };
    });
    const kitchens: FleetTerminalDef[] = KITCHENS.map((k) => ({
      name: `K-${k.brand}`,
      ...accountOf(b, k.code),
      spec: { tenant: TENANT, store: STORE, code: k.code, type: k.type, brand: k.brand },
      prefix: '',
      deviceId: deviceId(),
    }));
    await fleet.call('init', { dir: fleetDir, remoteUrl: b.storeOpsUrl, writers, kitchens });
    await fleet.call('startSync', { mode: opts.sync });
    await fleet.call('waitIdle', { timeoutMs: 120_000 }, 130_000);
    log(
      `${writers.length} order-writing tablets and ${kitchens.length} kitchen replicas syncing live; ` +
        `${opts.rate} orders/s for ${opts.minutes} min, 'ready' ${opts.readyAfterMs / 1000} s after 'preparing'`,
    );

    // The store server's figures: RSS sampled every few seconds, CPU over each minute.
    let pidNow = pid;
    /** The store's PouchDB Server now: when the supervisor has restarted it, the new process. */
    const currentPid = () => {
      if (!embedded) return null;
      if (pidNow === null || Number.isNaN(rssMiB(pidNow))) pidNow = findPouchServerPid(port);
      return pidNow;
    };
    const rssNow = () => {
      const p = currentPid();
      return p === null ? NaN : rssMiB(p);
    };
    const rssSamples: { t: number; v: number }[] = [];
    const t0 = performance.now();
    const sampleRss = () => {
      const v = rssNow();
      rssSamples.push({ t: (performance.now() - t0) / 1000, v });
      return v;
    };
    const rssStart = sampleRss();
    let cpuPid = currentPid();
    let cpuMark = cpuPid === null ? NaN : cpuSeconds(cpuPid);
    let crashesSeen = b.crashes.store.length;
    let fleetMark = cpuSeconds(fleet.pid);
    let gwMark = process.cpuUsage();
    let wallMark = performance.now();

    // When each order reaches the store server, to split order -> kitchen in two.
    const storeWatch = await watchChanges(b.config.store, OPS_DB);
    stopWatch = storeWatch.stop;
    const committedAt = new Map<string, number>();
    const split: { toStore: number[]; fromStore: number[] } = { toStore: [], fromStore: [] };

    await fleet.call('soakStart', { rate: opts.rate, durationMs, readyAfterMs: opts.readyAfterMs });
    const minutes: Minute[] = [];
    const all: SoakWindow[] = [];
    const take = async (label: string): Promise<Minute> => {
      const w = await fleet!.call<SoakWindow>('window');
      all.push(w);
      for (const [id, at] of w.committed) committedAt.set(id, at);
      const toStore: number[] = [];
      const fromStore: number[] = [];
      for (const [id, seenAt] of w.seen) {
        const atStore = storeWatch.arrivals.get(id);
        const committed = committedAt.get(id);
        if (atStore === undefined || committed === undefined) continue;
        toStore.push(atStore - committed);
        fromStore.push(seenAt - atStore);
      }
      split.toStore.push(...toStore);
      split.fromStore.push(...fromStore);
      const now = performance.now();
      const wall = (now - wallMark) / 1000;
      const p = currentPid();
      const cpuEnd = p === null ? NaN : cpuSeconds(p);
      const crashed = b.crashes.store.slice(crashesSeen);
      crashesSeen = b.crashes.store.length;
      const fleetEnd = cpuSeconds(fleet!.pid);
      const gw = process.cpuUsage(gwMark);
      const m: Minute = {
        label,
        o2k: pcts(w.orderToKitchen),
        toStore: pcts(toStore),
        fromStore: pcts(fromStore),
        r2w: pcts(w.readyToWriter),
        placed: w.placed,
        bumps: w.bumps,
        errors: [...crashed.map((c) => `store server crash (the supervisor restarts it): ${c}`), ...w.errors],
        retries: w.retries,
        rss: sampleRss(),
        // Over the minute, unless the process was replaced meanwhile.
        cpu: p !== null && p === cpuPid ? ((cpuEnd - cpuMark) / wall) * 100 : NaN,
        gatewayCpu: ((gw.user + gw.system) / 1e6 / wall) * 100,
        fleetCpu: ((fleetEnd - fleetMark) / wall) * 100,
        load: loadavg()[0]!,
      };
      cpuPid = p;
      cpuMark = cpuEnd;
      fleetMark = fleetEnd;
      gwMark = process.cpuUsage();
      wallMark = now;
      return m;
    };

    console.log('');
    console.log(
      `store soak: ${writers.length} tablets + ${kitchens.length} kitchen replicas (Node PouchDB, LevelDB), ${opts.rate} orders/s, ${opts.minutes} min` +
        `; replication: ${SYNC_LABEL[opts.sync]}`,
    );
    console.log('o2k = order put on the writer replica -> in the brand kitchen replica changes feed (ms)');
    console.log(
      '->store / store-> = the same orders split at the store server (its _changes, longpoll as admin); ready = kitchen ready put -> writer feed',
    );
    console.log(
      'RSS / CPU % = store PouchDB Server process (100 % = one core); gw = this process (store + central gateways); tabs = the simulated tablets process',
    );
    console.log('');
    // Rows are printed as each minute ends, so the columns have fixed widths.
    const widths = HEAD.map((h, i) => Math.max(h.length, i === 0 ? 6 : 7));
    const pad = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    console.log(pad(HEAD));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    const printRow = (m: Minute) => {
      console.log(pad(line(m)));
      for (const e of m.errors.slice(0, 5)) console.log(`    error: ${e}`);
      if (m.errors.length > 5) console.log(`    ... and ${m.errors.length - 5} more errors`);
    };
    const fullMinutes = Math.ceil(durationMs / 60_000);
    for (let i = 1; i <= fullMinutes; i++) {
      const end = t0 + Math.min(i * 60_000, durationMs);
      while (performance.now() < end) {
        await sleep(Math.min(RSS_SAMPLE_MS, end - performance.now()));
        if (performance.now() < end) sampleRss();
      }
      const m = await take(String(i));
      minutes.push(m);
      printRow(m);
    }
    const stopped = await fleet.call<{ placed: number; unseen: number }>('soakStop', { graceMs: GRACE_MS }, GRACE_MS + 60_000);
    const drain = await take('drain');
    printRow(drain);
    const storeDocs = (await dbInfo(b.config.store, OPS_DB)).doc_count;

    summary({
      opts,
      minutes,
      all,
      split,
      stopped,
      rssStart,
      rssSamples,
      storeDocs,
      pidFound: embedded,
      crashes: b.crashes.store,
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

function summary(r: {
  opts: ReturnType<typeof options>;
  minutes: Minute[];
  all: SoakWindow[];
  split: { toStore: number[]; fromStore: number[] };
  stopped: { placed: number; unseen: number };
  rssStart: number;
  rssSamples: { t: number; v: number }[];
  storeDocs: number;
  pidFound: boolean;
  crashes: string[];
  wholeS: number;
}): void {
  const o2k = pcts(r.all.flatMap((w) => w.orderToKitchen));
  const r2w = pcts(r.all.flatMap((w) => w.readyToWriter));
  const toStore = pcts(r.split.toStore);
  const fromStore = pcts(r.split.fromStore);
  const errors = r.all.reduce((s, w) => s + w.errors.length, 0);
  const retries = r.all.reduce((s, w) => s + w.retries, 0);
  const rss = r.rssSamples.map((s) => s.v).filter((v) => Number.isFinite(v));
  const rssEnd = r.minutes.at(-1)?.rss ?? NaN;
  const rssMax = rss.length ? Math.max(...rss) : NaN;
  const rssMin = rss.length ? Math.min(...rss) : NaN;
  const afterFirst = r.minutes[0]?.rss ?? NaN;
  const growth = (rssEnd - afterFirst) / afterFirst;
  // Trend after the first minute (the warm-up): least-squares slope of the 5-s samples, MiB per minute.
  const late = r.rssSamples.filter((s) => s.t >= 60 && Number.isFinite(s.v));
  const slope = (() => {
    if (late.length < 3) return NaN;
    const mt = late.reduce((a, s) => a + s.t, 0) / late.length;
    const mv = late.reduce((a, s) => a + s.v, 0) / late.length;
    const num = late.reduce((a, s) => a + (s.t - mt) * (s.v - mv), 0);
    const den = late.reduce((a, s) => a + (s.t - mt) ** 2, 0);
    return (num / den) * 60;
  })();
  const worstP95 = Math.max(...r.minutes.map((m) => m.o2k.p95).filter((v) => Number.isFinite(v)));
  const p95Held = r.minutes.length > 0 && r.minutes.every((m) => Number.isFinite(m.o2k.p95) && m.o2k.p95 < TARGET_P95_MS);
  const cpu = r.minutes.map((m) => m.cpu).filter((v) => Number.isFinite(v));

  console.log('');
  console.log('summary');
  console.log(
    table(
      ['', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      [
        ['order -> kitchen', String(o2k.n), fmt(o2k.p50), fmt(o2k.p95), fmt(o2k.p99), fmt(o2k.max)],
        ['  put -> store server', String(toStore.n), fmt(toStore.p50), fmt(toStore.p95), fmt(toStore.p99), fmt(toStore.max)],
        ['  store server -> kitchen', String(fromStore.n), fmt(fromStore.p50), fmt(fromStore.p95), fmt(fromStore.p99), fmt(fromStore.max)],
        ['ready -> writer', String(r2w.n), fmt(r2w.p50), fmt(r2w.p95), fmt(r2w.p99), fmt(r2w.max)],
      ],
    ),
  );
  console.log(
    `orders placed ${r.stopped.placed}, never seen by their kitchen within ${GRACE_MS / 1000} s of the end ${r.stopped.unseen}; ` +
      `errors ${errors}; sync retries ${retries}; store ops documents at the end ${r.storeDocs}; ` +
      `store PouchDB Server crashes during the whole run (seeding included) ${r.crashes.length}`,
  );
  if (r.pidFound)
    console.log(
      `store PouchDB Server RSS MiB: start ${fmt(r.rssStart)}, after minute 1 ${fmt(afterFirst)}, end ${fmt(rssEnd)}, min ${fmt(rssMin)}, max ${fmt(rssMax)}; ` +
        `CPU % per minute avg ${fmt(cpu.reduce((s, v) => s + v, 0) / cpu.length)}, max ${fmt(Math.max(...cpu))}`,
    );
  else console.log('store server RSS/CPU: n/a (the store server is not the embedded PouchDB Server)');
  console.log(`target p95 < ${TARGET_P95_MS} ms in every minute: ${p95Held ? 'held' : 'not held'} (worst minute p95 ${fmt(worstP95)} ms)`);
  if (r.pidFound) {
    console.log(
      `target store server RSS under ${TARGET_RSS_MIB} MiB all along: ${rssMax < TARGET_RSS_MIB ? 'held' : 'not held'} (max ${fmt(rssMax)} MiB)`,
    );
    console.log(
      `memory flat (least-squares trend after minute 1 under ${FLAT_MIB_PER_MIN} MiB/min): ` +
        `${Number.isFinite(slope) ? (slope < FLAT_MIB_PER_MIN ? 'yes' : 'no') : 'n/a'} (trend ${fmt(slope, 2)} MiB/min over ${late.length} samples; ` +
        `end vs after minute 1 ${growth >= 0 ? '+' : ''}${fmt(growth * 100)} %${r.minutes.length < 3 ? '; too short a run to say much' : ''})`,
    );
  }
  console.log(`(whole run ${r.wholeS.toFixed(0)} s)`);
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(e.stack ?? e.message);
    process.exit(1);
  },
);
