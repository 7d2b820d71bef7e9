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
// --couchdb and --cluster put central on Apache CouchDB 3.5.2 as well (one node; three nodes
// joined into a cluster, databases with n = 3), from ../shared/couchdb (bench/fan-in-couchdb.ts),
// and run every N on each central, the embedded PouchDB Server first: it is the baseline the
// others' figures are compared with, measured in the same run so that the machine's load at the
// time weighs on all of them. The stores side stays the embedded simulator in every case.
//
//   npx tsx bench/central-fan-in.ts [--stores 10,25,50,100] [--orders-per-store 200] [--seconds 30]
//     [--rate 2] [--drain 30] [--budget 420] [--no-gateway] [--auth replicator|admin] [--no-ddocs]
//     [--source local|url] [--store-servers 1] [--couchdb] [--cluster] [--repeat 1]
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
import { shardQuery } from '../scripts/lib/ensure';
import { centralServerDbs } from '../scripts/lib/security-plan';
import { replicationEndpoint } from '../scripts/lib/server-check';
import { nodeScriptOrWhy, portInRange, releasePort, startCouchCentral, type CouchCentral, type CouchKind } from './fan-in-couchdb';
import {
  childListeningOn,
  CpuMeter,
  cpuSeconds,
  groupCpuSeconds,
  groupRssMiB,
  machineCpuSeconds,
  memoryMiB,
  percentile,
  summarizeLag,
  type LagSummary,
} from './fan-in-proc';

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
    couchdb: { type: 'boolean', default: false },
    cluster: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '1' },
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
  --store-servers 1         spread the N store databases over this many "stores" PouchDB Servers
  --couchdb                 also run every N with central on one Apache CouchDB 3.5.2 node
  --cluster                 also run every N with central on a three-node CouchDB cluster (n = 3)
                            (both: ../shared/couchdb/couchdb-node.sh, ports 6200-6299; q and n from
                            LAPAK_CENTRAL_DB_Q / LAPAK_CENTRAL_DB_N, default q 1, n 3 on the cluster; with
                            either, the defaults become --stores 10,25 --seconds 20 --budget 600)
  --repeat 1                run every (N, central) this many times, interleaved; figures are medians`);
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

const couchKinds: CouchKind[] = [...(args.couchdb ? ['couchdb' as const] : []), ...(args.cluster ? ['cluster' as const] : [])];
/** Options given on the command line, which win over the smaller defaults of the CouchDB modes. */
const given = new Set(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')[0]));
if (couchKinds.length) {
  // Three CouchDB nodes, the simulator and the gateways on two cores: a size that finishes in a
  // few minutes. A flag given raises it.
  if (!given.has('stores')) args.stores = '10,25';
  if (!given.has('seconds')) args.seconds = '20';
  if (!given.has('budget')) args.budget = '600';
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
  repeat: Math.round(positive('repeat', args.repeat)),
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
  rss: () => number;
  cpu: CpuMeter;
  maxRss: number;
}

function procOf(label: string, pids: (number | null)[]): Proc {
  const cpu = () => pids.reduce<number>((sum, pid) => sum + (pid === null ? NaN : cpuSeconds(pid)), 0);
  const rss = () => pids.reduce<number>((sum, pid) => sum + (pid === null ? NaN : memoryMiB(pid).rss), 0);
  return { label, rss, cpu: new CpuMeter(cpu), maxRss: NaN };
}

/** CouchDB nodes: each a process group (the Erlang VM and the couchjs it runs validate functions in). */
function procOfGroups(label: string, pgids: number[]): Proc {
  const cpu = () => pgids.reduce((sum, pgid) => sum + groupCpuSeconds(pgid), 0);
  const rss = () => pgids.reduce((sum, pgid) => sum + groupRssMiB(pgid), 0);
  return { label, rss, cpu: new CpuMeter(cpu), maxRss: NaN };
}

function sampleRss(p: Proc): void {
  const rss = p.rss();
  if (Number.isFinite(rss)) p.maxRss = Number.isFinite(p.maxRss) ? Math.max(p.maxRss, rss) : rss;
}

/** With CouchDB in the run every port is one of 6200-6299; otherwise any free one, as before. */
const nextPort = (): Promise<number> => (couchKinds.length ? portInRange() : freePort());

async function startGatewayChild(upstream: string, staticDir: string, port: number): Promise<{ url: string; child: ChildProcess }> {
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
  backend: Backend;
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
  /** A CouchDB central's databases as the server reports them. */
  layout: string;
}

/** Where central runs in a phase: the embedded baseline, or one of the CouchDB modes. */
type Backend = 'embedded' | CouchKind;
const BACKEND_LABEL: Record<Backend, string> = {
  embedded: 'embedded PouchDB Server',
  couchdb: 'CouchDB 3.5.2, 1 node',
  cluster: 'CouchDB 3.5.2, 3-node cluster',
};

async function runPhase(n: number, ddocs: Record<string, unknown>[], backend: Backend, couch?: CouchCentral): Promise<PhaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lapak-fan-in-'));
  const cleanups: (() => Promise<void>)[] = [];
  const logLines: Record<string, number> = {};
  const ports: number[] = [];
  const phasePort = async () => {
    const port = await nextPort();
    ports.push(port);
    return port;
  };
  const codes = Array.from({ length: n }, (_, i) => `s${i + 1}`);
  try {
    const setupStart = performance.now();
    const admin = { username: ADMIN, password: ADMIN_PASSWORD };
    const k = Math.min(opts.storeServers, n);
    const labels = [
      ...(backend === 'embedded' ? ['central'] : []),
      ...Array.from({ length: k }, (_, j) => (k === 1 ? 'stores' : `stores${j + 1}`)),
    ];
    const started = await Promise.all(
      labels.map(async (label) => {
        const port = await phasePort();
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
    const storesStarted = started.filter((s) => s.label !== 'central');
    /** Central's nodes as admin: one for the embedded server, one per CouchDB node. */
    const centralNodes = couch
      ? couch.nodes.nodes.map((node) => new Couch(node.url, couch.nodes.admin.username, couch.nodes.admin.password))
      : [new Couch(started[0]!.server.url, ADMIN, ADMIN_PASSWORD)];
    const central = centralNodes[0]!;
    /** Store i reaches central node i mod nodes, as a load balancer in front of the cluster would spread them. */
    const nodeOf = (i: number) => i % centralNodes.length;
    const storeServers = storesStarted.map((s) => new Couch(s.server.url, ADMIN, ADMIN_PASSWORD));
    const storesOf = (i: number) => storeServers[i % storeServers.length]!;
    const procs: Proc[] = [
      couch ? procOfGroups('central', couch.pgids) : procOf('central', [started[0]!.pid]),
      procOf(
        'stores',
        storesStarted.map((s) => s.pid),
      ),
    ];
    let centralForReplication = centralNodes;
    if (opts.gateway) {
      // One gateway per node, as in production where each node's host runs its own.
      const gateways = await Promise.all(
        centralNodes.map(async (node, i) => {
          const staticDir = join(dir, `static${i + 1}`);
          mkdirSync(staticDir);
          const gw = await startGatewayChild(node.url, staticDir, await phasePort());
          cleanups.unshift(() => stopChild(gw.child));
          return gw;
        }),
      );
      centralForReplication = gateways.map((gw) => new Couch(`${gw.url}/db`, ADMIN, ADMIN_PASSWORD));
      procs.push(
        procOf(
          'gateway',
          gateways.map((gw) => gw.child.pid ?? null),
        ),
      );
    }
    procs.push(procOf('bench', [process.pid]));
    const machine = new CpuMeter(() => machineCpuSeconds().busy);
    if (couch)
      // The nodes outlive the phase: its databases go with it, so the next phase starts on as
      // little as this one did.
      cleanups.push(async () => {
        await pool(codes, 8, async (code) => {
          await central.req('DELETE', `/${dbName.ops(TENANT, code)}`).catch(() => {});
        });
      });
    const createQuery = couch ? shardQuery(couch.shards) : '';

    // Databases, design documents (same revisions on both sides, so replication has nothing to
    // carry), accounts, _security and the replication documents.
    await pool(codes, 8, async (code) => {
      const i = codes.indexOf(code);
      const db = dbName.ops(TENANT, code);
      const stores = storesOf(i);
      await stores.must('PUT', `/${db}`, undefined, [412]);
      await central.must('PUT', `/${db}${createQuery}`, undefined, [412]);
      for (const ddoc of ddocs) {
        const id = String(ddoc._id);
        const path = `/${db}/_design/${enc(id.slice('_design/'.length))}`;
        await stores.must('PUT', path, ddoc);
        const copy = await stores.must<Record<string, unknown>>('GET', `${path}?revs=true`);
        await central.must('POST', `/${db}/_bulk_docs`, { docs: [copy], new_edits: false });
      }
      const via = centralForReplication[nodeOf(i)]!;
      let target: string;
      if (opts.auth === 'replicator') {
        const name = userName.replicator(TENANT, code);
        const password = randomBytes(12).toString('hex');
        const userPath = `/_users/${enc(`org.couchdb.user:${name}`)}`;
        // CouchDB's nodes outlive a phase, and with them the account of an earlier phase.
        const existing = couch ? await central.req<{ _rev?: string }>('GET', userPath) : null;
        await central.must('PUT', userPath, {
          _id: `org.couchdb.user:${name}`,
          ...(existing?.status === 200 && existing.body._rev ? { _rev: existing.body._rev } : {}),
          name,
          type: 'user',
          roles: [role.tenant(TENANT), role.store(TENANT, code), role.replicator(TENANT, code)],
          password,
        });
        const security = centralServerDbs(TENANT, code).find((d) => d.kind === 'ops')!.security;
        await central.must('PUT', `/${db}/_security`, security);
        target = replicationEndpoint('pouchdb-server', `${via.url}/${db}`, name, password) as string;
      } else {
        target = replicationEndpoint('pouchdb-server', `${via.url}/${db}`, via.user, via.password) as string;
      }
      await stores.must('PUT', `/_replicator/${enc(`fanin_${code}`)}`, {
        _id: `fanin_${code}`,
        source: opts.source === 'local' ? db : replicationEndpoint('pouchdb-server', `${stores.url}/${db}`, ADMIN, ADMIN_PASSWORD),
        target,
        continuous: true,
      });
    });
    const setupSeconds = (performance.now() - setupStart) / 1000;
    // What CouchDB made of the request, not what was asked: a cluster missing a node would still
    // take n = 3 and keep fewer copies.
    let layout = '';
    if (couch) {
      const db = dbName.ops(TENANT, codes[0]!);
      const info = await central.must<{ cluster?: { q: number; n: number } }>('GET', `/${db}`);
      const shards = await central.must<{ shards: Record<string, string[]> }>('GET', `/${db}/_shards`);
      const copies = Object.values(shards.shards).map((nodes) => nodes.length);
      layout = `q=${info.cluster?.q ?? '?'} n=${info.cluster?.n ?? '?'}, ${copies.length} shard range(s) with ${copies.join('/')} copies`;
    }

    // Followers on central, from its current sequence.
    const records = new Map<string, OrderRecord>();
    const stopFollowing = new AbortController();
    let followerErrors = 0;
    const startSeqs = await Promise.all(
      codes.map(
        async (code, i) => (await centralNodes[nodeOf(i)]!.must<{ update_seq: unknown }>('GET', `/${dbName.ops(TENANT, code)}`)).update_seq,
      ),
    );
    const followers = codes.map(async (code, i) => {
      const db = dbName.ops(TENANT, code);
      let since = startSeqs[i];
      while (!stopFollowing.signal.aborted) {
        try {
          const a = await centralNodes[nodeOf(i)]!.req<{ results: { id: string }[]; last_seq: unknown }>(
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
      backend,
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
      layout,
    };
  } finally {
    for (const c of cleanups) await c().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    for (const port of ports) releasePort(port);
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
  // Without a CouchDB mode the output stays as it was, so earlier runs in docs/scale.md compare line by line.
  const multi = couchKinds.length > 0 || opts.repeat > 1;
  const headOf = (r: PhaseResult) => [String(r.n), ...(multi ? [r.backend] : [])];
  const head = ['N', ...(multi ? ['central'] : [])];
  console.log(
    '\nThroughput and replication lag. arrived/s: orders reaching central per second over the last 3/4 of the write window; ' +
      'overall/s: all orders / (last seen - first written); lag: seen in central _changes - acknowledged by the store server.',
  );
  console.log(
    tableOf(
      [
        ...head,
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
        ...headOf(r),
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
      [...head, ...labels.flatMap((l) => [`${l} CPU%`, `${l} RSS`]), 'machine CPU%', 'others CPU%'],
      results.map((r) => [
        ...headOf(r),
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
        ...head,
        'central CPU ms/order',
        ...(opts.gateway ? ['gateway CPU ms/order'] : []),
        'stores CPU ms/order',
        'store write p50 ms',
        'p95 ms',
        'bench loop p99 ms',
      ],
      results.map((r) => [
        ...headOf(r),
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
      `summary N=${r.n}${multi ? ` ${r.backend}` : ''}: ${r.written} orders in ${r.windowSeconds.toFixed(1)} s, ${f1(r.writtenPerSecond)}/s written, ` +
        `${f1(r.arrivedSteadyPerSecond)}/s arrived at central (${f1(r.overallPerSecond)}/s incl. drain), ` +
        `lag p50 ${sec(r.lag.p50)} s p95 ${sec(r.lag.p95)} s max ${sec(r.lag.max)} s, missing ${r.missing}, ` +
        `central CPU ${f0(r.cpu.central ?? NaN)}% RSS ${f0(r.rss.central ?? NaN)} MiB, stores CPU ${f0(r.cpu.stores ?? NaN)}%` +
        (opts.gateway ? `, gateway CPU ${f0(r.cpu.gateway ?? NaN)}%` : '') +
        `, machine ${f0(r.cpu.machine ?? NaN)}% (others ${f0(r.cpu.others ?? NaN)}%)` +
        `; setup ${r.setupSeconds.toFixed(1)} s, warm-up ${r.warmupSeconds.toFixed(1)} s` +
        (r.layout ? `; databases ${r.layout}` : '') +
        (notes.length ? `; ${notes.join('; ')}` : ''),
    );
  }
  // Saturated: the offered load is no longer carried (the orders written, or those reaching
  // central in the steady part of the window, fall below 90% of what the stores were asked to
  // write), or lag p95 passes the threshold, or orders are still missing after the drain.
  for (const backend of [...new Set(results.map((r) => r.backend))])
    verdict(
      results.filter((r) => r.backend === backend),
      multi ? `${backend}: ` : '',
    );
  if (couchKinds.length) compare(results);
}

function verdict(results: PhaseResult[], prefix: string): void {
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
            ? `central's ${BACKEND_LABEL[saturated.backend]} (${f0(c.central ?? NaN)}% of one core)`
            : `no process at 85% of a core: latency-bound (request round trips and checkpoints per batch)`;
    console.log(
      `${prefix}verdict: saturation point N=${saturated.n} stores (${f0(saturated.offeredPerSecond)} orders/s offered): ${why.join('; ')}. ` +
        `CPU then: central ${f0(c.central ?? NaN)}%, stores ${f0(c.stores ?? NaN)}%` +
        (opts.gateway ? `, gateway ${f0(c.gateway ?? NaN)}%` : '') +
        `, machine ${f0(c.machine ?? NaN)}%; limited by ${limit}.`,
    );
    const lagPoint = results.find(lagTooHigh);
    if (lagPoint && lagPoint !== saturated)
      console.log(`${prefix}verdict: lag p95 passes ${SATURATION_P95_MS / 1000} s at N=${lagPoint.n} (${sec(lagPoint.lag.p95)} s).`);
    else if (!lagPoint) console.log(`${prefix}verdict: lag p95 stayed under ${SATURATION_P95_MS / 1000} s up to N=${results.at(-1)!.n}.`);
  } else {
    const last = results.at(-1);
    console.log(
      last
        ? `${prefix}verdict: no saturation up to N=${last.n} stores (${f1(Math.min(last.writtenPerSecond, last.arrivedSteadyPerSecond))} of ${f0(last.offeredPerSecond)} orders/s carried, lag p95 ${sec(last.lag.p95)} s).`
        : `${prefix}verdict: nothing was measured.`,
    );
  }
}

/** Median of the finite values (NaN when there are none). */
function median(values: number[]): number {
  return percentile(
    values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b),
    50,
  );
}

/**
 * Each CouchDB central beside the embedded server at the same N: medians over the repeats, and
 * their ratios to the embedded server's medians (below 1: lower lag or CPU than the baseline).
 */
function compare(results: PhaseResult[]): void {
  interface Figures {
    runs: number;
    arrived: number;
    p50: number;
    p95: number;
    max: number;
    missing: number;
    cpu: number;
    cpuPerOrder: number;
    gatewayPerOrder: number;
    rss: number;
    others: number;
  }
  const figures = (rows: PhaseResult[]): Figures => ({
    runs: rows.length,
    arrived: median(rows.map((r) => r.arrivedSteadyPerSecond)),
    p50: median(rows.map((r) => r.lag.p50)),
    p95: median(rows.map((r) => r.lag.p95)),
    max: median(rows.map((r) => r.lag.max)),
    missing: rows.reduce((sum, r) => sum + r.missing, 0),
    cpu: median(rows.map((r) => r.cpu.central ?? NaN)),
    cpuPerOrder: median(rows.map((r) => cpuMsPerOrder(r, 'central'))),
    gatewayPerOrder: median(rows.map((r) => cpuMsPerOrder(r, 'gateway'))),
    rss: median(rows.map((r) => r.rss.central ?? NaN)),
    others: median(rows.map((r) => r.cpu.others ?? NaN)),
  });
  const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : 'n/a');
  const backends: Backend[] = ['embedded', ...couchKinds];
  const ns = [...new Set(results.map((r) => r.n))];
  const rows: string[][] = [];
  const pasted: string[] = [];
  for (const n of ns) {
    const base = figures(results.filter((r) => r.n === n && r.backend === 'embedded'));
    const line: string[] = [];
    for (const backend of backends) {
      const of = results.filter((r) => r.n === n && r.backend === backend);
      if (!of.length) continue;
      const f = figures(of);
      const vs = backend === 'embedded' ? null : base;
      rows.push([
        String(n),
        backend,
        String(f.runs),
        f1(f.arrived),
        sec(f.p50),
        sec(f.p95),
        sec(f.max),
        String(f.missing),
        f0(f.cpu),
        f1(f.cpuPerOrder),
        ...(opts.gateway ? [f1(f.gatewayPerOrder)] : []),
        f0(f.rss),
        f0(f.others),
        vs ? ratio(f.arrived, vs.arrived) : '1',
        vs ? ratio(f.p50, vs.p50) : '1',
        vs ? ratio(f.p95, vs.p95) : '1',
        vs ? ratio(f.cpuPerOrder, vs.cpuPerOrder) : '1',
      ]);
      line.push(
        `${backend} lag p50 ${sec(f.p50)} s p95 ${sec(f.p95)} s, ${f1(f.arrived)}/s, central ${f1(f.cpuPerOrder)} CPU ms/order` +
          (vs ? ` (x${ratio(f.p50, vs.p50)} p50, x${ratio(f.p95, vs.p95)} p95, x${ratio(f.cpuPerOrder, vs.cpuPerOrder)} CPU)` : ''),
      );
    }
    pasted.push(`fan-in N=${n} (${f0(n * opts.rate)} orders/s offered): ${line.join(' | ')}`);
  }
  console.log(
    `\nCentral compared, medians over ${opts.repeat} run(s) of each N (central CPU: all its nodes together, % of one core; ` +
      `CPU ms/order: central's CPU time per order arrived; x: ratio to the embedded PouchDB Server of the same N in this run):`,
  );
  console.log(
    tableOf(
      [
        'N',
        'central',
        'runs',
        'arrived/s',
        'lag p50 s',
        'lag p95 s',
        'lag max s',
        'missing',
        'central CPU%',
        'CPU ms/order',
        ...(opts.gateway ? ['gateway ms/order'] : []),
        'central RSS',
        'others CPU%',
        'x arrived',
        'x lag p50',
        'x lag p95',
        'x CPU/order',
      ],
      rows,
    ),
  );
  for (const line of pasted) console.log(line);
}

// ---- main ----

async function main(): Promise<void> {
  let script = '';
  if (couchKinds.length) {
    const found = nodeScriptOrWhy();
    if ('why' in found) {
      console.error(`[fan-in] ${found.why}`);
      process.exit(2);
    }
    script = found.script;
  }
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

  const couches = new Map<CouchKind, CouchCentral>();
  try {
    for (const kind of couchKinds) {
      if (interrupt.signal.aborted) break;
      progress(`starting ${BACKEND_LABEL[kind]}`);
      const c = await startCouchCentral(kind, script, progress);
      couches.set(kind, c);
      console.log(
        `central ${kind}: ${BACKEND_LABEL[kind]} (../shared/couchdb, couch/central-local.ini), ${c.nodes.nodes.map((n) => n.url).join(', ')}, ` +
          `up in ${c.startSeconds.toFixed(1)} s, kept for the run; central's databases PUT with q=${c.shards.q}&n=${c.shards.n}, ` +
          `deleted after each phase` +
          (kind === 'cluster' ? `; store i replicates to node i mod 3 and is followed there, as behind a load balancer` : ''),
      );
    }
    if (couchKinds.length)
      console.log(
        `each N runs on ${['embedded', ...couchKinds].join(', then ')} (interleaved${opts.repeat > 1 ? `, ${opts.repeat} times` : ''}); the embedded server is the baseline`,
      );
    const backends: Backend[] = ['embedded', ...couchKinds];
    const results: PhaseResult[] = [];
    for (let rep = 0; rep < opts.repeat; rep++)
      for (const n of opts.stores) {
        if (interrupt.signal.aborted) break;
        const elapsed = performance.now() - started;
        // CouchDB hashes each new account's password with 600,000 PBKDF2 rounds.
        const estimate =
          backends.reduce((sum, b) => sum + 10 + (b === 'embedded' ? 0.25 : 0.6) * n + ordersPerPhase / opts.rate + 5, 0) * 1000;
        if (results.length > 0 && elapsed + estimate > opts.budgetMs) {
          console.log(
            `skipped N=${n}${opts.repeat > 1 ? ` (run ${rep + 1})` : ''}: ${(elapsed / 1000).toFixed(0)} s used of the ${opts.budgetMs / 1000} s budget, ~${(estimate / 1000).toFixed(0)} s more needed (raise --budget)`,
          );
          continue;
        }
        for (const backend of backends) {
          if (interrupt.signal.aborted) break;
          const tag = couchKinds.length ? ` ${backend}` : '';
          progress(`N=${n}${tag}: starting`);
          let r: PhaseResult;
          try {
            r = await runPhase(n, ddocs, backend, backend === 'embedded' ? undefined : couches.get(backend));
          } catch (e) {
            // One central failing a phase (a server that crashed under load) must not cost the
            // figures of the others, nor leave the nodes running.
            const why = e instanceof Error ? e.message : String(e);
            console.log(`failed N=${n}${tag}: ${why.slice(0, 300)}`);
            continue;
          }
          results.push(r);
          progress(
            `N=${n}${tag}: ${r.written} orders, ${f1(r.arrivedSteadyPerSecond)}/s arrived, lag p50 ${sec(r.lag.p50)} s p95 ${sec(r.lag.p95)} s, missing ${r.missing}`,
          );
        }
      }
    printResults(results);
  } finally {
    for (const [kind, c] of couches) {
      progress(`stopping ${BACKEND_LABEL[kind]}`);
      await c.stop().catch((e: unknown) => progress(`stopping ${kind}: ${String(e)}`));
    }
  }
  console.log(`total time ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

// SIGTERM too: without a handler Node dies without its 'exit' event, which is what stops the
// CouchDB nodes when the run cannot end them itself.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort();
    console.error(`[fan-in] ${signal}: ending the current phase and cleaning up (again to quit at once)`);
    process.exitCode = 130;
  });

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
