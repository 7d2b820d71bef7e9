// Central fan-in: N stores write orders and continuous replications carry them to central, all
// on this machine, to see how documents per second and replication lag behave as N grows and
// where one embedded central server (PouchDB Server) saturates.
//
// Per N, on fresh servers in a temp dir (removed afterwards), on loopback ports only:
//   - a "stores" PouchDB Server holding lapak_bench_s<i>_ops for i = 1..N, each with the real ops
//     design documents (validate_doc_update, views, Mango indexes) unless --no-ddocs;
//   - a "central" PouchDB Server with the same databases and design documents (same revisions),
//     reached through the project's gateway (<gateway>/db, a separate process as in production)
//     unless --no-gateway; per store the replication account replicator.bench.s<i> and the
//     production _security of a central ops database (or the server admin with --auth admin);
//   - per store a continuous push replication store -> central: a _replicator document on the
//     stores server, so the stores server runs all N replication jobs. The target is central's
//     URL with the credentials in it, as provisioning writes it for PouchDB Server; the source is
//     the local database name (--source url: a full URL back to the stores server, as
//     provisioning writes it, which costs the simulator about 1.5 times the CPU; central sees
//     the same requests either way);
//   - per store a writer that PUTs valid orders (design-docs/testing/fixtures.ts) into its store
//     database as the stores server's admin, at --rate orders/s, for --seconds or
//     --orders-per-store orders, whichever comes first;
//   - per store a follower: _changes?feed=longpoll (no include_docs) on the central database,
//     straight to central's PouchDB Server as admin. Lag of an order = when the follower's
//     answer listing it arrived minus when the store acknowledged the write.
// Prints figures, asserts nothing. See docs/scale.md.
//
//   npx tsx bench/central-fan-in.ts [--stores 10,25,50,100] [--orders-per-store 200] [--seconds 30]
//     [--rate 2] [--drain 30] [--budget 420] [--no-gateway] [--auth replicator|admin] [--no-ddocs]
//     [--source local|url] [--store-servers 1]
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildDesignDocs } from '../design-docs/build';
import { dbName, role, userName } from '../design-docs/lib/names';
import { order, type TerminalSpec } from '../design-docs/testing/fixtures';
import { startPouchDbServer } from '../couch/embedded/pouchdb-server';
import { freePort } from '../couch/testing/free-port';
import { centralServerDbs } from '../scripts/lib/security-plan';
import { replicationEndpoint } from '../scripts/lib/server-check';
import { childListeningOn, CpuMeter, cpuSeconds, machineCpuSeconds, memoryMiB, summarizeLag, type LagSummary } from './fan-in-proc';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GATEWAY_SCRIPT = fileURLToPath(new URL('./fan-in-gateway.ts', import.meta.url));
const TENANT = 'bench';
const BRAND = 'BENCH';
const ADMIN = 'admin';
const ADMIN_PASSWORD = randomBytes(12).toString('hex');
/** Longpoll timeout of a follower: an idle feed is re-asked this often. */
const LONGPOLL_MS = 20_000;
/** How long the warm-up order of every store may take to reach central before the phase gives up. */
const WARMUP_MS = 120_000;
const SAMPLE_MS = 1000;
const REPLICATOR_SAMPLE_MS = 5000;
const SATURATION_P95_MS = 5000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Ctrl-C: the current phase stops writing and waiting, cleans up, and no further phase starts. */
const interrupt = new AbortController();
const progress = (line: string) => console.error(`[fan-in] ${line}`);

// ---- options ----

const { values: args } = parseArgs({
  options: {
    stores: { type: 'string', default: '10,25,50,100' },
    'orders-per-store': { type: 'string', default: '200' },
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '2' },
    drain: { type: 'string', default: '30' },
    budget: { type: 'string', default: '420' },
    'no-gateway': { type: 'boolean', default: false },
    'no-ddocs': { type: 'boolean', default: false },
    auth: { type: 'string', default: 'replicator' },
    source: { type: 'string', default: 'local' },
    'store-servers': { type: 'string', default: '1' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`npx tsx bench/central-fan-in.ts [options]
  --stores 10,25,50,100     numbers of stores to simulate, one phase each, on fresh servers
  --rate 2                  orders per second each store writes
  --seconds 30              length of the write window of a phase
  --orders-per-store 200    cap on the orders a store writes in a phase
  --drain 30                seconds to wait after the window for late orders
  --budget 420              skip phases that would end later than this many seconds after start
  --no-gateway              replicate straight into central's PouchDB Server (default: through the gateway)
  --auth replicator|admin   who the replication writes as at central (default: a per-store replication account)
  --no-ddocs                no design documents (no validation) in the bench databases
  --source local|url        replication source: a local database name (default: the stores server reads its own
                            databases in-process, a cheaper simulator of N stores) or a full URL back to itself,
                            as provisioning writes it for a real store (central sees the same requests either way)
  --store-servers 1         spread the N store databases over this many "stores" PouchDB Servers`);
  process.exit(0);
}

function positive(name: string, raw: string): number {
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`--${name} must be a positive number, not "${raw}"`);
    process.exit(2);
  }
  return v;
}

const opts = {
  stores: args.stores.split(',').map((s) => Math.round(positive('stores', s.trim()))),
  ordersPerStore: Math.round(positive('orders-per-store', args['orders-per-store'])),
  seconds: positive('seconds', args.seconds),
  rate: positive('rate', args.rate),
  drainMs: positive('drain', args.drain) * 1000,
  budgetMs: positive('budget', args.budget) * 1000,
  gateway: !args['no-gateway'],
  ddocs: !args['no-ddocs'],
  auth: args.auth === 'admin' ? ('admin' as const) : ('replicator' as const),
  source: args.source === 'url' ? ('url' as const) : ('local' as const),
  storeServers: Math.round(positive('store-servers', args['store-servers'])),
};
if (args.source !== 'local' && args.source !== 'url') {
  console.error('--source must be url or local');
  process.exit(2);
}
if (args.auth !== 'admin' && args.auth !== 'replicator') {
  console.error('--auth must be replicator or admin');
  process.exit(2);
}
const ordersPerPhase = Math.max(1, Math.min(opts.ordersPerStore, Math.floor(opts.rate * opts.seconds)));

// ---- HTTP ----

interface Answer<T> {
  status: number;
  body: T;
}

class Couch {
  private readonly authorization: string;
  constructor(
    readonly url: string,
    readonly user: string,
    readonly password: string,
  ) {
    this.authorization = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
  }

  async req<T = Record<string, unknown>>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Answer<T>> {
    const res = await fetch(this.url + path, {
      method,
      headers: { authorization: this.authorization, accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed as T };
  }

  async must<T = Record<string, unknown>>(method: string, path: string, body?: unknown, accept: number[] = []): Promise<T> {
    const a = await this.req<T>(method, path, body);
    if (a.status >= 300 && !accept.includes(a.status))
      throw new Error(`${method} ${this.url}${path}: HTTP ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
    return a.body;
  }
}

const enc = encodeURIComponent;

/** At most `limit` of `tasks` at a time. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

// ---- processes we start ----

/** One process, or a group of them (the stores servers), whose CPU and memory are added up. */
interface Proc {
  label: string;
  pids: (number | null)[];
  cpu: CpuMeter;
  maxRss: number;
}

function procOf(label: string, pids: (number | null)[]): Proc {
  const cpu = () => pids.reduce<number>((sum, pid) => sum + (pid === null ? NaN : cpuSeconds(pid)), 0);
  return { label, pids, cpu: new CpuMeter(cpu), maxRss: NaN };
}

function sampleRss(p: Proc): void {
  const rss = p.pids.reduce<number>((sum, pid) => sum + (pid === null ? NaN : memoryMiB(pid).rss), 0);
  if (Number.isFinite(rss)) p.maxRss = Number.isFinite(p.maxRss) ? Math.max(p.maxRss, rss) : rss;
}

async function startGatewayChild(upstream: string, staticDir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', GATEWAY_SCRIPT, upstream, String(port), staticDir], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => progress(`[gateway] ${d.toString().trimEnd()}`));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the gateway did not start within 30 s')), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited (${code}) before listening`));
    });
  });
  return { url, child };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// ---- one phase ----

interface OrderRecord {
  store: number;
  warm: boolean;
  sent: number;
  acked?: number;
  seen?: number;
}

interface PhaseResult {
  n: number;
  setupSeconds: number;
  warmupSeconds: number;
  warmupMissing: number;
  written: number;
  writeErrors: number;
  windowSeconds: number;
  offeredPerSecond: number;
  writtenPerSecond: number;
  arrivedInWindowPerSecond: number;
  /** Orders arriving at central per second over the last 3/4 of the window (the steady state). */
  arrivedSteadyPerSecond: number;
  /** Orders seen at central / (last seen - first sent): throughput including the drain. */
  overallPerSecond: number;
  missing: number;
  lag: LagSummary;
  storeWrite: LagSummary;
  replicationErrorDocs: number;
  replicationErrorSample: string;
  serverLogLines: Record<string, number>;
  followerErrors: number;
  cpu: Record<string, number>;
  rss: Record<string, number>;
  loopDelayP99: number;
}

async function runPhase(n: number, ddocs: Record<string, unknown>[]): Promise<PhaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lapak-fan-in-'));
  const cleanups: (() => Promise<void>)[] = [];
  const logLines: Record<string, number> = {};
  try {
    const setupStart = performance.now();
    const admin = { username: ADMIN, password: ADMIN_PASSWORD };
    const k = Math.min(opts.storeServers, n);
    const labels = ['central', ...Array.from({ length: k }, (_, j) => (k === 1 ? 'stores' : `stores${j + 1}`))];
    const started = await Promise.all(
      labels.map(async (label) => {
        const port = await freePort();
        logLines[label] = 0;
        const server = await startPouchDbServer(
          { url: `http://127.0.0.1:${port}`, admin, embedded: true, port },
          join(dir, label),
          label,
          (line) => {
            logLines[label] = (logLines[label] ?? 0) + 1;
            if (logLines[label]! <= 3) progress(line.slice(0, 300));
          },
        );
        cleanups.unshift(() => server.stop());
        return { label, server, pid: childListeningOn(process.pid, port) };
      }),
    );
    const central = new Couch(started[0]!.server.url, ADMIN, ADMIN_PASSWORD);
    const storeServers = started.slice(1).map((s) => new Couch(s.server.url, ADMIN, ADMIN_PASSWORD));
    const storesOf = (i: number) => storeServers[i % storeServers.length]!;
    const procs: Proc[] = [
      procOf('central', [started[0]!.pid]),
      procOf(
        'stores',
        started.slice(1).map((s) => s.pid),
      ),
    ];
    let centralForReplication = central;
    if (opts.gateway) {
      const staticDir = join(dir, 'static');
      mkdirSync(staticDir);
      const gw = await startGatewayChild(central.url, staticDir);
      cleanups.unshift(() => stopChild(gw.child));
      centralForReplication = new Couch(`${gw.url}/db`, ADMIN, ADMIN_PASSWORD);
      procs.push(procOf('gateway', [gw.child.pid ?? null]));
    }
    procs.push(procOf('bench', [process.pid]));
    const machine = new CpuMeter(() => machineCpuSeconds().busy);

    // Databases, design documents (same revisions on both sides, so replication has nothing to
    // carry), accounts, _security and the replication documents.
    const codes = Array.from({ length: n }, (_, i) => `s${i + 1}`);
    await pool(codes, 8, async (code) => {
      const db = dbName.ops(TENANT, code);
      const stores = storesOf(codes.indexOf(code));
      await stores.must('PUT', `/${db}`, undefined, [412]);
      await central.must('PUT', `/${db}`, undefined, [412]);
      for (const ddoc of ddocs) {
        const id = String(ddoc._id);
        const path = `/${db}/_design/${enc(id.slice('_design/'.length))}`;
        await stores.must('PUT', path, ddoc);
        const copy = await stores.must<Record<string, unknown>>('GET', `${path}?revs=true`);
        await central.must('POST', `/${db}/_bulk_docs`, { docs: [copy], new_edits: false });
      }
      let target: string;
      if (opts.auth === 'replicator') {
        const name = userName.replicator(TENANT, code);
        const password = randomBytes(12).toString('hex');
        await central.must('PUT', `/_users/${enc(`org.couchdb.user:${name}`)}`, {
          _id: `org.couchdb.user:${name}`,
          name,
          type: 'user',
          roles: [role.tenant(TENANT), role.store(TENANT, code), role.replicator(TENANT, code)],
          password,
        });
        const security = centralServerDbs(TENANT, code).find((d) => d.kind === 'ops')!.security;
        await central.must('PUT', `/${db}/_security`, security);
        target = replicationEndpoint('pouchdb-server', `${centralForReplication.url}/${db}`, name, password) as string;
      } else {
        target = replicationEndpoint('pouchdb-server', `${centralForReplication.url}/${db}`, ADMIN, ADMIN_PASSWORD) as string;
      }
      await stores.must('PUT', `/_replicator/${enc(`fanin_${code}`)}`, {
        _id: `fanin_${code}`,
        source: opts.source === 'local' ? db : replicationEndpoint('pouchdb-server', `${stores.url}/${db}`, ADMIN, ADMIN_PASSWORD),
        target,
        continuous: true,
      });
    });
    const setupSeconds = (performance.now() - setupStart) / 1000;

    // Followers on central, from its current sequence.
    const records = new Map<string, OrderRecord>();
    const stopFollowing = new AbortController();
    let followerErrors = 0;
    const startSeqs = await Promise.all(
      codes.map(async (code) => (await central.must<{ update_seq: unknown }>('GET', `/${dbName.ops(TENANT, code)}`)).update_seq),
    );
    const followers = codes.map(async (code, i) => {
      const db = dbName.ops(TENANT, code);
      let since = startSeqs[i];
      while (!stopFollowing.signal.aborted) {
        try {
          const a = await central.req<{ results: { id: string }[]; last_seq: unknown }>(
            'GET',
            `/${db}/_changes?feed=longpoll&timeout=${LONGPOLL_MS}&since=${enc(String(since))}`,
            undefined,
            stopFollowing.signal,
          );
          const at = Date.now();
          if (a.status !== 200) throw new Error(`HTTP ${a.status}`);
          for (const r of a.body.results) {
            const rec = records.get(r.id);
            if (rec && rec.seen === undefined) rec.seen = at;
          }
          since = a.body.last_seq;
        } catch {
          if (stopFollowing.signal.aborted) break;
          followerErrors++;
          await sleep(200);
        }
      }
    });

    // Replication state, sampled from the stores server's _replicator documents.
    const errorDocs = new Map<string, string>();
    const sampleReplicator = async () => {
      for (const stores of storeServers) {
        const a = await stores.req<{ rows: { id: string; doc?: Record<string, unknown> }[] }>(
          'GET',
          '/_replicator/_all_docs?include_docs=true',
        );
        if (a.status !== 200) continue;
        for (const r of a.body.rows)
          if (r.doc?._replication_state === 'error')
            errorDocs.set(r.id, String(r.doc._replication_state_reason ?? r.doc._replication_state_time ?? 'error'));
      }
    };

    const write = async (store: number, code: string, warm: boolean, seq: number): Promise<boolean> => {
      const terminal: TerminalSpec = { tenant: TENANT, store: code, code: 'KIOSK-BENCH-01', type: 'kiosk', brand: BRAND };
      const sent = Date.now();
      const doc = order(terminal, { created_at: new Date(sent).toISOString(), number: `K1-${String(seq % 1_000_000).padStart(4, '0')}` });
      const rec: OrderRecord = { store, warm, sent };
      records.set(doc._id, rec);
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          const a = await storesOf(store).req('PUT', `/${dbName.ops(TENANT, code)}/${enc(doc._id)}`, doc);
          if (a.status === 201 || a.status === 202 || (attempt > 0 && a.status === 409)) {
            rec.acked = Date.now();
            return true;
          }
          progress(`write refused: HTTP ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
          return false;
        } catch {
          await sleep(100);
        }
      }
      return false;
    };

    // Warm-up: one order per store, to know every replication runs before measuring.
    const warmStart = performance.now();
    await Promise.all(codes.map((code, i) => write(i, code, true, 0)));
    const warmIds = [...records.entries()].filter(([, r]) => r.warm).map(([id]) => id);
    const warmDeadline = Date.now() + WARMUP_MS;
    while (!interrupt.signal.aborted && Date.now() < warmDeadline && warmIds.some((id) => records.get(id)!.seen === undefined))
      await sleep(100);
    const warmupMissing = warmIds.filter((id) => records.get(id)!.seen === undefined).length;
    const warmupSeconds = (performance.now() - warmStart) / 1000;
    progress(
      `N=${n}: set up in ${setupSeconds.toFixed(1)} s; replications carried the warm-up orders in ${warmupSeconds.toFixed(1)} s` +
        (warmupMissing ? ` (${warmupMissing} still missing)` : ''),
    );

    // The measured window.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    for (const p of procs) p.cpu.start();
    machine.start();
    let sampling = true;
    const rssSampler = (async () => {
      while (sampling) {
        for (const p of procs) sampleRss(p);
        await sleep(SAMPLE_MS);
      }
    })();
    const replicatorSampler = (async () => {
      while (sampling) {
        await sampleReplicator().catch(() => {});
        await sleep(REPLICATOR_SAMPLE_MS);
      }
    })();
    const interval = 1000 / opts.rate;
    const windowStart = Date.now();
    let writeErrors = 0;
    await Promise.all(
      codes.map(async (code, i) => {
        const offset = Math.random() * interval;
        for (let k = 0; k < ordersPerPhase && !interrupt.signal.aborted; k++) {
          const due = windowStart + offset + k * interval;
          const wait = due - Date.now();
          if (wait > 0) await sleep(wait);
          if (!(await write(i, code, false, k + 1))) writeErrors++;
        }
      }),
    );
    const windowEnd = Date.now();
    const cpu: Record<string, number> = {};
    for (const p of procs) cpu[p.label] = p.cpu.percent();
    cpu.machine = machine.percent();
    cpu.others = cpu.machine - procs.reduce((sum, p) => sum + (cpu[p.label] ?? 0), 0);
    loop.disable();

    // Drain: wait for the late ones, up to --drain.
    const measured = [...records.values()].filter((r) => !r.warm && r.acked !== undefined);
    const drainDeadline = Date.now() + opts.drainMs;
    while (!interrupt.signal.aborted && Date.now() < drainDeadline && measured.some((r) => r.seen === undefined)) await sleep(100);
    sampling = false;
    await Promise.all([rssSampler, replicatorSampler]);
    await sampleReplicator().catch(() => {});
    stopFollowing.abort();
    await Promise.all(followers);

    const windowSeconds = (windowEnd - windowStart) / 1000;
    const steadyFrom = windowStart + (windowEnd - windowStart) / 4;
    const seen = measured.filter((r) => r.seen !== undefined);
    const lastSeen = Math.max(...seen.map((r) => r.seen!));
    const firstSent = Math.min(...measured.map((r) => r.sent));
    const rss: Record<string, number> = {};
    for (const p of procs) rss[p.label] = p.maxRss;
    for (const label of labels) {
      const file = join(dir, label, 'pouchdb-server.log');
      if (existsSync(file)) logLines[label] = (logLines[label] ?? 0) + readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    }
    return {
      n,
      setupSeconds,
      warmupSeconds,
      warmupMissing,
      written: measured.length,
      writeErrors,
      windowSeconds,
      offeredPerSecond: n * opts.rate,
      writtenPerSecond: measured.length / windowSeconds,
      arrivedInWindowPerSecond: seen.filter((r) => r.seen! <= windowEnd).length / windowSeconds,
      arrivedSteadyPerSecond: seen.filter((r) => r.seen! >= steadyFrom && r.seen! <= windowEnd).length / ((windowEnd - steadyFrom) / 1000),
      overallPerSecond: seen.length ? seen.length / ((lastSeen - firstSent) / 1000) : 0,
      missing: measured.length - seen.length,
      lag: summarizeLag(seen.map((r) => r.seen! - r.acked!)),
      storeWrite: summarizeLag(measured.map((r) => r.acked! - r.sent)),
      replicationErrorDocs: errorDocs.size,
      replicationErrorSample: [...errorDocs.entries()][0]?.join(': ') ?? '',
      serverLogLines: logLines,
      followerErrors,
      cpu,
      rss,
      loopDelayP99: loop.percentile(99) / 1e6,
    };
  } finally {
    for (const c of cleanups) await c().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- output ----

/** CPU milliseconds a process spent per order that arrived at central during the window. */
function cpuMsPerOrder(r: PhaseResult, label: string): number {
  const perSecond = r.arrivedInWindowPerSecond;
  return perSecond > 0 ? ((r.cpu[label] ?? NaN) * 10) / perSecond : NaN;
}

const f0 = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : 'n/a');
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
const sec = (msValue: number) => (Number.isFinite(msValue) ? (msValue / 1000).toFixed(2) : 'n/a');

function tableOf(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function printResults(results: PhaseResult[]): void {
  const labels = ['central', 'stores', ...(opts.gateway ? ['gateway'] : []), 'bench'];
  console.log(
    '\nThroughput and replication lag. arrived/s: orders reaching central per second over the last 3/4 of the write window; ' +
      'overall/s: all orders / (last seen - first written); lag: seen in central _changes - acknowledged by the store server.',
  );
  console.log(
    tableOf(
      [
        'N',
        'written',
        'offered/s',
        'written/s',
        'arrived/s',
        'overall/s',
        'lag p50 s',
        'lag p95 s',
        'lag p99 s',
        'lag max s',
        'missing',
        'repl err',
      ],
      results.map((r) => [
        String(r.n),
        String(r.written),
        f0(r.offeredPerSecond),
        f1(r.writtenPerSecond),
        f1(r.arrivedSteadyPerSecond),
        f1(r.overallPerSecond),
        sec(r.lag.p50),
        sec(r.lag.p95),
        sec(r.lag.p99),
        sec(r.lag.max),
        String(r.missing),
        String(r.replicationErrorDocs),
      ]),
    ),
  );
  console.log(
    `\nProcesses during the write window (CPU in % of one core, the machine has ${cpus().length * 100}%; ` +
      `RSS = highest sampled VmRSS, MiB; others = CPU of processes that are not this benchmark's):`,
  );
  console.log(
    tableOf(
      ['N', ...labels.flatMap((l) => [`${l} CPU%`, `${l} RSS`]), 'machine CPU%', 'others CPU%'],
      results.map((r) => [
        String(r.n),
        ...labels.flatMap((l) => [f0(r.cpu[l] ?? NaN), f0(r.rss[l] ?? NaN)]),
        f0(r.cpu.machine ?? NaN),
        f0(r.cpu.others ?? NaN),
      ]),
    ),
  );
  console.log(
    '\nCPU cost per order (CPU time in the window / orders arrived at central in it), store write latency, benchmark event-loop delay:',
  );
  console.log(
    tableOf(
      [
        'N',
        'central CPU ms/order',
        ...(opts.gateway ? ['gateway CPU ms/order'] : []),
        'stores CPU ms/order',
        'store write p50 ms',
        'p95 ms',
        'bench loop p99 ms',
      ],
      results.map((r) => [
        String(r.n),
        f1(cpuMsPerOrder(r, 'central')),
        ...(opts.gateway ? [f1(cpuMsPerOrder(r, 'gateway'))] : []),
        f1(cpuMsPerOrder(r, 'stores')),
        f1(r.storeWrite.p50),
        f1(r.storeWrite.p95),
        f1(r.loopDelayP99),
      ]),
    ),
  );
  for (const r of results) {
    const notes: string[] = [];
    if (r.writeErrors) notes.push(`${r.writeErrors} writes failed`);
    if (r.followerErrors) notes.push(`${r.followerErrors} follower request errors`);
    if (r.warmupMissing) notes.push(`${r.warmupMissing} warm-up orders never arrived`);
    if (r.replicationErrorSample) notes.push(`replication error: ${r.replicationErrorSample.slice(0, 200)}`);
    const logs = Object.entries(r.serverLogLines).filter(([, v]) => v > 0);
    if (logs.length) notes.push(`server log/stderr lines: ${logs.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(
      `summary N=${r.n}: ${r.written} orders in ${r.windowSeconds.toFixed(1)} s, ${f1(r.writtenPerSecond)}/s written, ` +
        `${f1(r.arrivedSteadyPerSecond)}/s arrived at central (${f1(r.overallPerSecond)}/s incl. drain), ` +
        `lag p50 ${sec(r.lag.p50)} s p95 ${sec(r.lag.p95)} s max ${sec(r.lag.max)} s, missing ${r.missing}, ` +
        `central CPU ${f0(r.cpu.central ?? NaN)}% RSS ${f0(r.rss.central ?? NaN)} MiB, stores CPU ${f0(r.cpu.stores ?? NaN)}%` +
        (opts.gateway ? `, gateway CPU ${f0(r.cpu.gateway ?? NaN)}%` : '') +
        `, machine ${f0(r.cpu.machine ?? NaN)}% (others ${f0(r.cpu.others ?? NaN)}%)` +
        `; setup ${r.setupSeconds.toFixed(1)} s, warm-up ${r.warmupSeconds.toFixed(1)} s` +
        (notes.length ? `; ${notes.join('; ')}` : ''),
    );
  }
  // Saturated: the offered load is no longer carried (the orders written, or those reaching
  // central in the steady part of the window, fall below 90% of what the stores were asked to
  // write), or lag p95 passes the threshold, or orders are still missing after the drain.
  const carried = (r: PhaseResult) => Math.min(r.writtenPerSecond, r.arrivedSteadyPerSecond) / r.offeredPerSecond;
  const lagTooHigh = (r: PhaseResult) => r.lag.p95 > SATURATION_P95_MS || r.missing > 0.01 * r.written;
  const saturated = results.find((r) => carried(r) < 0.9 || lagTooHigh(r));
  if (saturated) {
    const why: string[] = [];
    if (carried(saturated) < 0.9)
      why.push(
        `only ${f1(Math.min(saturated.writtenPerSecond, saturated.arrivedSteadyPerSecond))} of ${f0(saturated.offeredPerSecond)} orders/s offered were carried (${f0(carried(saturated) * 100)}%)`,
      );
    if (saturated.lag.p95 > SATURATION_P95_MS) why.push(`lag p95 ${sec(saturated.lag.p95)} s > ${SATURATION_P95_MS / 1000} s`);
    if (saturated.missing > 0.01 * saturated.written) why.push(`${saturated.missing} orders missing after the drain`);
    if (saturated.writtenPerSecond < 0.9 * saturated.offeredPerSecond)
      why.push(
        `the store writers fell behind (${f1(saturated.writtenPerSecond)}/s written, store write p95 ${f0(saturated.storeWrite.p95)} ms)`,
      );
    const c = saturated.cpu;
    const storesPerProcess = (c.stores ?? NaN) / Math.min(opts.storeServers, saturated.n);
    const limit =
      (c.machine ?? 0) > 0.9 * cpus().length * 100
        ? `the machine's CPU (${f0(c.machine ?? NaN)}% of ${cpus().length * 100}%, ${f0(c.others ?? NaN)}% of it other processes)`
        : storesPerProcess > 85
          ? `the simulated stores' server (${f0(storesPerProcess)}% of one core per process)`
          : (c.central ?? 0) > 85
            ? `central's PouchDB Server (${f0(c.central ?? NaN)}% of one core)`
            : `no process at 85% of a core: latency-bound (request round trips and checkpoints per batch)`;
    console.log(
      `verdict: saturation point N=${saturated.n} stores (${f0(saturated.offeredPerSecond)} orders/s offered): ${why.join('; ')}. ` +
        `CPU then: central ${f0(c.central ?? NaN)}%, stores ${f0(c.stores ?? NaN)}%` +
        (opts.gateway ? `, gateway ${f0(c.gateway ?? NaN)}%` : '') +
        `, machine ${f0(c.machine ?? NaN)}%; limited by ${limit}.`,
    );
    const lagPoint = results.find(lagTooHigh);
    if (lagPoint && lagPoint !== saturated)
      console.log(`verdict: lag p95 passes ${SATURATION_P95_MS / 1000} s at N=${lagPoint.n} (${sec(lagPoint.lag.p95)} s).`);
    else if (!lagPoint) console.log(`verdict: lag p95 stayed under ${SATURATION_P95_MS / 1000} s up to N=${results.at(-1)!.n}.`);
  } else {
    const last = results.at(-1);
    console.log(
      last
        ? `verdict: no saturation up to N=${last.n} stores (${f1(Math.min(last.writtenPerSecond, last.arrivedSteadyPerSecond))} of ${f0(last.offeredPerSecond)} orders/s carried, lag p95 ${sec(last.lag.p95)} s).`
        : 'verdict: nothing was measured.',
    );
  }
}

// ---- main ----

async function main(): Promise<void> {
  const started = performance.now();
  const watchdog = setTimeout(
    () => {
      console.error('[fan-in] watchdog: the run took far longer than its budget; exiting (temp dirs may remain in the system temp dir).');
      process.exit(1);
    },
    opts.budgetMs + 5 * 60_000,
  );
  watchdog.unref();
  const ddocs = opts.ddocs ? ((await buildDesignDocs()).ops as unknown as Record<string, unknown>[]) : [];
  console.log(
    `central fan-in: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  console.log(
    `per store: ${opts.rate} orders/s for ${ordersPerPhase} orders (window ~${(ordersPerPhase / opts.rate).toFixed(0)} s), drain up to ${opts.drainMs / 1000} s`,
  );
  console.log(
    `servers: fresh PouchDB Servers (embedded, LevelDB) per phase: ${opts.storeServers === 1 ? 'one "stores" server holds the N store databases and runs' : `${opts.storeServers} "stores" servers hold the N store databases and run`} ` +
      `the N push replications (source: ${opts.source === 'url' ? 'full URL back to itself, as provisioning writes it' : 'local database name'}); ` +
      `"central" receives them ${opts.gateway ? 'through the project gateway (separate process)' : 'directly (no gateway)'}`,
  );
  console.log(
    `replication writes as: ${opts.auth === 'replicator' ? 'replicator.bench.s<i> with the production _security of a central ops database' : 'the server admin'}; ` +
      `design documents: ${opts.ddocs ? `${ddocs.map((d) => String(d._id)).join(', ')} on both sides (validation included)` : 'none (validation skipped)'}`,
  );
  console.log(`lag measured by one _changes?feed=longpoll follower per central database, straight to central as admin`);
  console.log(`not simulated: the directory, catalog and down replications of a real store; view queries (no view indexing)`);

  const results: PhaseResult[] = [];
  for (const n of opts.stores) {
    if (interrupt.signal.aborted) break;
    const elapsed = performance.now() - started;
    const estimate = (10 + 0.25 * n + ordersPerPhase / opts.rate + 5) * 1000;
    if (results.length > 0 && elapsed + estimate > opts.budgetMs) {
      console.log(
        `skipped N=${n}: ${(elapsed / 1000).toFixed(0)} s used of the ${opts.budgetMs / 1000} s budget, ~${(estimate / 1000).toFixed(0)} s more needed (raise --budget)`,
      );
      continue;
    }
    progress(`N=${n}: starting`);
    const r = await runPhase(n, ddocs);
    results.push(r);
    progress(
      `N=${n}: ${r.written} orders, ${f1(r.arrivedSteadyPerSecond)}/s arrived, lag p50 ${sec(r.lag.p50)} s p95 ${sec(r.lag.p95)} s, missing ${r.missing}`,
    );
  }
  printResults(results);
  console.log(`total time ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort();
  console.error('[fan-in] interrupted; ending the current phase and cleaning up (Ctrl-C again to quit at once)');
  process.exitCode = 130;
});

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
