// Shared by the resilience benchmarks (outage-catchup, store-soak): a real store and central
// on free loopback ports with the demo tenant, the simulated tablets in a child process
// (bench/resilience-fleet.ts), database counts read as admin, /proc figures of the store's
// PouchDB Server, percentiles and a plain table. Figures only: nothing here passes or fails.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { adminAuthHeader, type CouchEndpoint, type LapakConfig } from '../couch/config';
import { throwawayConfig } from '../couch/testing/test-config';
import { startStack, type Stack } from '../couch/stack';
import { userName } from '../design-docs/lib/names';
import { nanoAdmin } from '../scripts/lib/nano-admin';
import { seedDemo } from '../scripts/lib/demo-seed';
import { targetsFromConfig } from '../scripts/lib/targets';
import { unassignTerminal } from '../scripts/lib/unassign';
import type { FleetRequest, FleetResponse, SyncMode } from './resilience-fleet';

export const TENANT = 'yogya';
export const STORE = 'bsd';
export const OPS_DB = 'lapak_yogya_bsd_ops';

/** The six demo terminals that may write orders, with their type and brand. */
export const ORDER_WRITERS = [
  { code: 'KIOSK-GEPREK-01', type: 'kiosk', brand: 'AYAMGEPREK' },
  { code: 'KASIR-GEPREK-01', type: 'cashier', brand: 'AYAMGEPREK' },
  { code: 'KIOSK-NASGR-01', type: 'kiosk', brand: 'NASGORENG' },
  { code: 'KASIR-NASGR-01', type: 'cashier', brand: 'NASGORENG' },
  { code: 'KIOSK-MIE-01', type: 'kiosk', brand: 'MIEAYAM' },
  { code: 'KASIR-MIE-01', type: 'cashier', brand: 'MIEAYAM' },
] as const;

/** One kitchen display per brand. */
export const KITCHENS = [
  { code: 'KITCHEN-GEPREK', type: 'kitchen', brand: 'AYAMGEPREK' },
  { code: 'KITCHEN-NASGR', type: 'kitchen', brand: 'NASGORENG' },
  { code: 'KITCHEN-MIE', type: 'kitchen', brand: 'MIEAYAM' },
] as const;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const log = (line: string) => console.error(`[bench] ${line}`);

// ---- numbers ----

/** Percentile by linear interpolation between closest ranks (p in 0..100) of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export interface Pcts {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function pcts(samples: number[]): Pcts {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) ?? NaN };
}

export function fmt(v: number | undefined, digits = 1): string {
  return v !== undefined && Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
}

export function ratio(a: number | undefined, b: number | undefined): string {
  return a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : 'n/a';
}

/** A fixed-width table: first column left-aligned, the others right-aligned. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function intOption(name: string, v: string | undefined, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max} (got ${v})`);
  return n;
}

export function numOption(name: string, v: string | undefined, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max} (got ${v})`);
  return n;
}

export const SYNC_LABEL: Record<SyncMode, string> = {
  app: 'as the app (checkpoints on the device)',
  'server-checkpoints': 'as the app before 83648af (checkpoints on the server too)',
  'own-writes': 'OWN-WRITES variant, not what the app does (push only what the tablet wrote)',
};

export function syncMode(v: string | undefined): SyncMode {
  if (v === 'app' || v === 'server-checkpoints' || v === 'own-writes') return v;
  throw new Error(`--sync must be app, server-checkpoints or own-writes (got ${v})`);
}

// ---- the servers ----

export interface BenchStack {
  stack: Stack;
  config: LapakConfig;
  dataDir: string;
  /** Store gateway base URL for Node clients (loopback address, not "localhost"). */
  storeUrl: string;
  /** The store's operations database through the store gateway. */
  storeOpsUrl: string;
  /** Password (the unused one-time pairing code) of each demo terminal's account. */
  passwords: Map<string, string>;
  stackLog: string[];
  /** Times the supervisor saw each side's embedded PouchDB Server exit unasked (a crash), and the last lines it wrote. */
  crashes: { store: string[]; central: string[] };
}

/** Starts store + central (embedded PouchDB Server unless LAPAK_TEST_*_COUCH_URL is set) and seeds the demo tenant. */
export async function startBenchStack(): Promise<BenchStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lapak-resilience-'));
  const stackLog: string[] = [];
  const crashes = { store: [] as string[], central: [] as string[] };
  try {
    const config = (await throwawayConfig('bench', 'bench-admin-secret', dataDir)).config;
    const stack = await startStack(config, (line) => {
      stackLog.push(line);
      if (stackLog.length > 200) stackLog.shift();
      // "[store couch] PouchDB Server exited (1); restarting in 1 s" (couch/embedded/pouchdb-server.ts)
      const crash = /^\[(store|central) couch\] PouchDB Server exited/.exec(line);
      if (crash) {
        crashes[crash[1] as 'store' | 'central'].push(`${new Date().toISOString()} ${line}`);
        log(`the ${crash[1]} PouchDB Server crashed: ${line}`);
        for (const l of stackLog.slice(-6, -1)) log(`  before it: ${l.slice(0, 300)}`);
      }
    });
    const storeUrl = stack.store.gateway.url.replace('//localhost:', '//127.0.0.1:');
    const centralUrl = stack.central.gateway.url.replace('//localhost:', '//127.0.0.1:');
    const seeded = await seedDemo(targetsFromConfig({ ...config, storePublicUrl: storeUrl, centralPublicUrl: `${centralUrl}/db` }), {
      secondTenant: false,
    });
    const passwords = new Map<string, string>();
    for (const p of seeded.provision.pairingCodes) passwords.set(p.terminal, p.code);
    const storeAdmin = nanoAdmin('store server', config.store);
    for (const t of [...ORDER_WRITERS, ...KITCHENS])
      if (!passwords.has(t.code)) passwords.set(t.code, (await unassignTerminal(storeAdmin, TENANT, STORE, t.code, storeUrl)).code);
    return { stack, config, dataDir, storeUrl, storeOpsUrl: `${storeUrl}/db/${OPS_DB}`, passwords, stackLog, crashes };
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}

export function accountOf(b: BenchStack, code: string): { username: string; password: string } {
  const password = b.passwords.get(code);
  if (!password) throw new Error(`no password for terminal ${code}`);
  return { username: userName.terminal(TENANT, STORE, code), password };
}

export interface DbInfo {
  doc_count: number;
  update_seq: string | number;
}

/** GET /{db} as the server admin, straight to the database server (not through a gateway). */
export async function dbInfo(couch: CouchEndpoint, db: string): Promise<DbInfo> {
  const res = await fetch(`${couch.url}/${encodeURIComponent(db)}`, {
    headers: { authorization: adminAuthHeader(couch) },
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`GET ${couch.url}/${db}: HTTP ${res.status}`);
  return (await res.json()) as DbInfo;
}

/** How many of `ids` a database holds (POST _all_docs with keys, in chunks), read as admin. */
export async function countPresent(couch: CouchEndpoint, db: string, ids: string[]): Promise<number> {
  let present = 0;
  for (let i = 0; i < ids.length; i += 2000) {
    const res = await fetch(`${couch.url}/${encodeURIComponent(db)}/_all_docs`, {
      method: 'POST',
      headers: { authorization: adminAuthHeader(couch), 'content-type': 'application/json' },
      body: JSON.stringify({ keys: ids.slice(i, i + 2000) }),
      signal: AbortSignal.timeout(60_000),
    });
    if (!res.ok) throw new Error(`POST ${db}/_all_docs: HTTP ${res.status}`);
    const body = (await res.json()) as { rows: { error?: string; value?: { deleted?: boolean } }[] };
    present += body.rows.filter((r) => !r.error && !r.value?.deleted).length;
  }
  return present;
}

/**
 * When each document reaches a database: a longpoll _changes loop as the server admin,
 * straight to the database server, timed (epoch ms, this machine's clock) when each answer
 * has fully arrived. (Longpoll, because PouchDB Server's feed=continuous does not stream.)
 */
export async function watchChanges(couch: CouchEndpoint, db: string): Promise<{ arrivals: Map<string, number>; stop(): void }> {
  const arrivals = new Map<string, number>();
  const abort = new AbortController();
  const headers = { authorization: adminAuthHeader(couch) };
  const base = `${couch.url}/${encodeURIComponent(db)}`;
  let since = (await dbInfo(couch, db)).update_seq;
  void (async () => {
    while (!abort.signal.aborted) {
      try {
        const res = await fetch(`${base}/_changes?feed=longpoll&timeout=20000&since=${encodeURIComponent(String(since))}`, {
          headers,
          signal: abort.signal,
        });
        const answer = (await res.json()) as { results: { id: string }[]; last_seq: string | number };
        const at = performance.timeOrigin + performance.now();
        for (const r of answer.results) if (!arrivals.has(r.id)) arrivals.set(r.id, at);
        since = answer.last_seq;
      } catch {
        if (!abort.signal.aborted) await sleep(500);
      }
    }
  })();
  return { arrivals, stop: () => abort.abort() };
}

// ---- /proc ----

/** The pid of the PouchDB Server child listening on `port` (its command line has --port <port>). */
export function findPouchServerPid(port: number): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const i = args.indexOf('--port');
    if (i >= 0 && args[i + 1] === String(port) && args.some((a) => a.includes('pouchdb-server'))) return Number(entry);
  }
  return null;
}

/** The PouchDB Server pid on `port`, waiting a little while the supervisor restarts it. */
export async function waitPouchServerPid(port: number, timeoutMs = 10_000): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pid = findPouchServerPid(port);
    if (pid !== null || Date.now() > deadline) return pid;
    await sleep(200);
  }
}

/** VmRSS in MiB, or NaN when the process is gone. */
export function rssMiB(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

const CLK_TCK = 100;

/** utime + stime of a process in seconds, or NaN when it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

// ---- the simulated tablets, in a child process ----

export interface Fleet {
  call<T = unknown>(op: FleetRequest['op'], args?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  pid: number;
  stop(): Promise<void>;
}

const FLEET_SCRIPT = fileURLToPath(new URL('./resilience-fleet.ts', import.meta.url));

/**
 * Starts bench/resilience-fleet.ts in its own Node process: the tablets are other machines,
 * so their CPU work must not share an event loop with the gateways that run in this process.
 */
export function startFleet(): Fleet {
  if (!existsSync(FLEET_SCRIPT)) throw new Error(`missing ${FLEET_SCRIPT}`);
  const child: ChildProcess = fork(FLEET_SCRIPT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited = false;
  child.on('message', (m: FleetResponse) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error !== undefined) w.reject(new Error(`fleet: ${m.error}`));
    else w.resolve(m.result);
  });
  child.on('exit', (code, signal) => {
    exited = true;
    for (const w of waiting.values()) w.reject(new Error(`fleet process exited (${code ?? signal})`));
    waiting.clear();
  });
  const call = <T>(op: FleetRequest['op'], args: Record<string, unknown> = {}, timeoutMs = 120_000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error('fleet process is not running'));
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`fleet ${op}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      child.send({ id, op, args } satisfies FleetRequest);
    });
  return {
    call,
    pid: child.pid!,
    stop: async () => {
      if (exited) return;
      await call('stop', {}, 30_000).catch((e: Error) => log(`fleet stop: ${e.message}`));
      const gone = new Promise<void>((r) => (exited ? r() : child.once('exit', () => r())));
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.disconnect?.();
      await gone;
      clearTimeout(timer);
    },
  };
}

/** Stops the fleet and the servers and removes the data, once, whatever happened before. */
export function cleaner(parts: { fleet: () => Fleet | null; bench: () => BenchStack | null; dirs: string[] }): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () =>
    (done ??= (async () => {
      // A client still talking to a server that is going away must not crash the report.
      process.on('uncaughtException', (e) => log(`during teardown: ${e.message}`));
      await parts
        .fleet()
        ?.stop()
        .catch(() => {});
      const b = parts.bench();
      await b?.stack.stop().catch(() => {});
      for (const d of [...parts.dirs, ...(b ? [b.dataDir] : [])]) rmSync(d, { recursive: true, force: true });
    })());
}
