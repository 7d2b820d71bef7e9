// Central on Apache CouchDB 3.5.2 for bench/central-fan-in.ts (--couchdb, --cluster): one node or
// a three-node cluster, started with couch/testing/couchdb-cluster.ts on ports of 6200-6299 (the
// range set aside for CouchDB nodes of tests and benchmarks), with the project's
// couch/central-local.ini, kept for the whole run and stopped at its end, pass or fail.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { couchdbNodeScript, startCouchNodes, type CouchNodes } from '../couch/testing/couchdb-cluster';
import type { ShardSettings } from '../scripts/lib/ensure';

export type CouchKind = 'couchdb' | 'cluster';

const CENTRAL_INI = fileURLToPath(new URL('../couch/central-local.ini', import.meta.url));
const PORT_FROM = 6200;
const PORT_TO = 6299;

const handedOut = new Set<number>();

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * A free loopback port of 6200-6299 not handed out before in this run. Taken from the top down:
 * the cluster test takes its nodes' ports from the bottom up, so a test run by someone else at
 * the same time is less likely to race us for one.
 */
export async function portInRange(): Promise<number> {
  for (let port = PORT_TO; port >= PORT_FROM; port--) {
    if (handedOut.has(port)) continue;
    if (await isFree(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port left in ${PORT_FROM}-${PORT_TO}`);
}

/** Back to the range once what listened on it has stopped (the set only guards ports not yet bound). */
export function releasePort(port: number): void {
  handedOut.delete(port);
}

/** couchdb-node.sh, or a message saying why the CouchDB modes cannot run. */
export function nodeScriptOrWhy(): { script: string } | { why: string } {
  const setting = process.env.LAPAK_BENCH_COUCHDB ?? '';
  const script = couchdbNodeScript(setting);
  if (script) return { script };
  return {
    why:
      `--couchdb and --cluster need Apache CouchDB 3.5.2 from ../shared/couchdb/couchdb-node.sh ` +
      `(${setting ? `LAPAK_BENCH_COUCHDB=${setting}` : 'not found next to this repository'}); ` +
      `see ../shared/couchdb/README.md, or set LAPAK_BENCH_COUCHDB to the directory holding couchdb-node.sh`,
  };
}

function shardCount(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[1-9]\d*$/.test(raw)) throw new Error(`${name} must be a whole number of at least 1, not "${raw}"`);
  return Number(raw);
}

/**
 * q and n of central's databases, as provisioning takes them (LAPAK_CENTRAL_DB_Q / _N). Without
 * them: q = 1 (docs/scale.md: a store's database never needs parallel shards) and n = 3 on the
 * cluster; one node holds one copy whatever is asked, so n is 1 there.
 */
export function shardsFor(kind: CouchKind): Required<ShardSettings> {
  return { q: shardCount('LAPAK_CENTRAL_DB_Q', 1), n: kind === 'cluster' ? shardCount('LAPAK_CENTRAL_DB_N', 3) : 1 };
}

export interface CouchCentral {
  kind: CouchKind;
  nodes: CouchNodes;
  shards: Required<ShardSettings>;
  /** Process group of each node (beam.smp, erl_child_setup, couchjs). */
  pgids: number[];
  startSeconds: number;
  stop(): Promise<void>;
}

export async function startCouchCentral(kind: CouchKind, script: string, log: (line: string) => void): Promise<CouchCentral> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), `lapak-fan-in-${kind}-`));
  const count = kind === 'cluster' ? 3 : 1;
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await portInRange());
  // The nodes share two cores with each other and with the simulated stores; Erlang schedulers
  // that spin while idle would take CPU from the others and be charged to central's figures.
  // On a machine of its own a node's spinning costs nothing, so it is left out here.
  const erlFlags = process.env.ERL_FLAGS;
  process.env.ERL_FLAGS = `${erlFlags ?? ''} +sbwt none +sbwtdcpu none +sbwtdio none`.trim();
  let nodes: CouchNodes;
  try {
    nodes = await startCouchNodes({ script, ports, dirPrefix: `${dir}/`, extraIni: [CENTRAL_INI], log, cluster: kind === 'cluster' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  } finally {
    if (erlFlags === undefined) delete process.env.ERL_FLAGS;
    else process.env.ERL_FLAGS = erlFlags;
  }
  const pgids = nodes.nodes.map((n) => Number(readFileSync(join(n.dir, 'couchdb.pid'), 'utf8').trim()));
  return {
    kind,
    nodes,
    shards: shardsFor(kind),
    pgids,
    startSeconds: (performance.now() - started) / 1000,
    async stop() {
      await nodes.stopAll();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
