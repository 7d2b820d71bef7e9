// Apache CouchDB nodes on loopback for the cluster test and the fan-in benchmark, started with
// ../shared/couchdb/couchdb-node.sh (its README): one node, or three members of a cluster (one
// Erlang cookie, COUCHDB_SINGLE_NODE=false, distinct node names) joined with POST /_cluster_setup
// as CouchDB's cluster setup documentation describes. Every node has its own directory under the
// given prefix and one port; `stopAll` ends each node's own process group (and removes the
// directories), whatever state the nodes are in.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** Where the shared build lives, relative to the repository: `../shared/couchdb`. */
export const SHARED_COUCHDB = resolve(REPO, '../shared/couchdb');

/**
 * couchdb-node.sh from a setting: empty, `1` or `true` mean `../shared/couchdb`, anything else
 * is that directory or the script itself. Null when the script is not there.
 */
export function couchdbNodeScript(setting = ''): string | null {
  const where = ['', '1', 'true'].includes(setting) ? SHARED_COUCHDB : resolve(setting);
  const script = existsSync(where) && statSync(where).isDirectory() ? join(where, 'couchdb-node.sh') : where;
  return existsSync(script) ? script : null;
}

export interface CouchNode {
  /** Erlang node name, `<name>@127.0.0.1` in `_membership`. */
  name: string;
  port: number;
  url: string;
  dir: string;
}

export interface CouchNodes {
  nodes: CouchNode[];
  admin: { username: string; password: string };
  /** The first node's URL with the admin in it (for LAPAK_*_COUCH_URL). */
  adminUrl: string;
  /** SIGKILL to the node's process group: a crash, nothing flushed or said goodbye. */
  kill(i: number): Promise<void>;
  /** Stops the node cleanly (SIGTERM to its group). */
  stop(i: number): Promise<void>;
  /** Starts a stopped or killed node again on its directory, port, name and cookie. */
  start(i: number): Promise<void>;
  /** Admin request to node `i`. */
  request<T = Record<string, unknown>>(i: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Stops every node and removes their directories. */
  stopAll(): Promise<void>;
}

export interface NodesOptions {
  script: string;
  /** One port per node (the cluster test and the benchmark use 6200-6299). */
  ports: number[];
  /** Directories are `<dirPrefix>n1`, `<dirPrefix>n2`, … */
  dirPrefix: string;
  /** More ini files for every node (COUCHDB_EXTRA_INI), e.g. the project's couch/central-local.ini. */
  extraIni?: string[];
  /** Join the nodes into one cluster (default when there is more than one). */
  cluster?: boolean;
  log?: (line: string) => void;
}

const ADMIN = { username: 'admin', password: 'couchdb-test' };

function run(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((ok, fail) =>
    execFile('bash', [script, ...args], { env, timeout: 180_000 }, (err, stdout, stderr) =>
      err ? fail(new Error(`couchdb-node.sh ${args.join(' ')}: ${err.message}\n${stderr}`)) : ok(stdout.trim()),
    ),
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

function pidOf(dir: string): number | null {
  const file = join(dir, 'couchdb.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || null : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startCouchNodes(o: NodesOptions): Promise<CouchNodes> {
  const cluster = o.cluster ?? o.ports.length > 1;
  const cookie = randomBytes(16).toString('hex');
  const log = o.log ?? (() => {});
  const nodes: CouchNode[] = o.ports.map((port, i) => ({
    name: `lapak${i + 1}-${port}`,
    port,
    url: `http://127.0.0.1:${port}`,
    dir: `${o.dirPrefix}n${i + 1}`,
  }));
  mkdirParent(o.dirPrefix);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The script looks for libmozjs with ldconfig, which lives in sbin.
    PATH: `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`,
    COUCHDB_USER: ADMIN.username,
    COUCHDB_PASSWORD: ADMIN.password,
    COUCHDB_SINGLE_NODE: cluster ? 'false' : 'true',
    COUCHDB_EXTRA_INI: (o.extraIni ?? []).map((f) => resolve(f)).join(' '),
  };
  const auth = 'Basic ' + Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64');
  async function request<T>(i: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${nodes[i]!.url}${path}`, {
      method,
      headers: { authorization: auth, accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  }
  const startNode = async (i: number) => {
    const n = nodes[i]!;
    await run(o.script, ['start', n.dir, String(n.port), n.name, cookie], env);
    log(`CouchDB node ${n.name} up at ${n.url}`);
  };
  const stopNode = async (i: number) => {
    const n = nodes[i]!;
    await run(o.script, ['stop', n.dir], env).catch(() => {});
    await waitUntil(
      `${n.name} to stop answering`,
      async () =>
        !(await fetch(`${n.url}/_up`).then(
          () => true,
          () => false,
        )),
      30_000,
    );
  };
  const handle: CouchNodes = {
    nodes,
    admin: ADMIN,
    adminUrl: `http://${ADMIN.username}:${ADMIN.password}@127.0.0.1:${nodes[0]!.port}`,
    request,
    async kill(i) {
      const n = nodes[i]!;
      const pid = pidOf(n.dir);
      if (pid === null) return;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await waitUntil(`${n.name} (pid ${pid}) to die`, async () => !alive(pid), 30_000);
      rmSync(join(n.dir, 'couchdb.pid'), { force: true });
      log(`CouchDB node ${n.name} killed (SIGKILL)`);
    },
    stop: stopNode,
    start: startNode,
    async stopAll() {
      for (const [i, n] of nodes.entries()) {
        const pid = pidOf(n.dir);
        await run(o.script, ['stop', n.dir], env).catch(() => {});
        if (pid !== null && alive(pid)) await handle.kill(i).catch(() => {});
        rmSync(n.dir, { recursive: true, force: true });
      }
    },
  };
  // A test runner that exits without its afterAll (a crash, a timeout) still takes the nodes with it.
  const onExit = () => {
    for (const n of nodes) {
      const pid = pidOf(n.dir);
      if (pid !== null)
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* gone */
        }
    }
  };
  process.once('exit', onExit);
  const stopAll = handle.stopAll;
  handle.stopAll = async () => {
    process.off('exit', onExit);
    await stopAll();
  };
  try {
    await Promise.all(nodes.map((_, i) => startNode(i)));
    if (cluster) await joinCluster(handle);
  } catch (e) {
    await handle.stopAll();
    throw e;
  }
  return handle;
}

function mkdirParent(prefix: string): void {
  // The node directories are created by couchdb-node.sh; only their parent must exist.
  const parent = dirname(prefix.endsWith('/') ? `${prefix}x` : prefix);
  if (!existsSync(parent)) throw new Error(`${parent} does not exist`);
}

/**
 * Joins the nodes from the first, as CouchDB's cluster setup documentation describes, then gives
 * every node the same server uuid and cookie-session secret (couch/central-local.ini asks for that
 * in a cluster: a session cookie made by one node is then good on every node).
 */
async function joinCluster(c: CouchNodes): Promise<void> {
  const others = c.nodes.slice(1);
  const must = async (i: number, method: string, path: string, body?: unknown) => {
    const res = await c.request(i, method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${c.nodes[i]!.url}${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  for (const n of others) {
    await must(0, 'POST', '/_cluster_setup', {
      action: 'enable_cluster',
      bind_address: '127.0.0.1',
      username: c.admin.username,
      password: c.admin.password,
      port: n.port,
      node_count: c.nodes.length,
      remote_node: '127.0.0.1',
      remote_current_user: c.admin.username,
      remote_current_password: c.admin.password,
    });
    await must(0, 'PUT', `/_node/_local/_nodes/${n.name}@127.0.0.1`, {});
  }
  await must(0, 'POST', '/_cluster_setup', { action: 'finish_cluster' });
  const wanted = c.nodes.map((n) => `${n.name}@127.0.0.1`).sort();
  for (const [i] of c.nodes.entries())
    await waitUntil(
      `${c.nodes[i]!.name} to see all ${c.nodes.length} nodes`,
      async () => {
        const m = await c.request<{ cluster_nodes?: string[]; all_nodes?: string[] }>(i, 'GET', '/_membership');
        return JSON.stringify([...(m.body.all_nodes ?? [])].sort()) === JSON.stringify(wanted);
      },
      60_000,
    );
  const uuid = randomBytes(16).toString('hex');
  const secret = randomBytes(32).toString('hex');
  for (const [i] of c.nodes.entries()) {
    await must(i, 'PUT', '/_node/_local/_config/couchdb/uuid', uuid);
    await must(i, 'PUT', '/_node/_local/_config/chttpd_auth/secret', secret);
  }
}

/** Shard-to-shard (internal) replication jobs a node still has queued: 0 when its copies are in step. */
export async function internalReplicationJobs(c: CouchNodes, i: number): Promise<number> {
  const res = await c.request<{ internal_replication_jobs?: number }>(i, 'GET', '/_node/_local/_system');
  return res.status === 200 ? (res.body.internal_replication_jobs ?? NaN) : NaN;
}
