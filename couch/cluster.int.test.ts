// Central on a three-node Apache CouchDB 3.5 cluster (docs/scale.md, docs/couchdb-compat.md):
// two stores provisioned into it with n = 3, a store's orders replicated up and HQ's reports read
// at central; then a node killed while a store catches up on a backlog, nothing lost or doubled,
// and the node, back, catching up by CouchDB's internal (shard-to-shard) replication.
//
// Runs only when LAPAK_TEST_COUCHDB_CLUSTER is set (the CI's CouchDB pass sets it): `1` for
// ../shared/couchdb/couchdb-node.sh, or the directory holding couchdb-node.sh. The store server is
// the embedded PouchDB Server, or the CouchDB of LAPAK_TEST_STORE_COUCH_URL. Nodes on ports 6200-6299,
// data under /tmp/cdb-cluster-*; every node is stopped at the end, pass or fail.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbName } from '../design-docs/lib/names';
import { order } from '../design-docs/testing/fixtures';
import type { CouchAdmin } from '../scripts/lib/couch-admin';
import { centralServerDbs } from '../scripts/lib/security-plan';
import { startStack, type Stack } from './stack';
import { couchdbNodeScript, internalReplicationJobs, startCouchNodes, type CouchNodes } from './testing/couchdb-cluster';
import { enc } from './testing/http';
import { adminOf, uniqueCode, type TestServers } from './testing/servers';
import { createHqUser, createStore, type TestStore } from './testing/tenants';
import { throwawayConfig } from './testing/test-config';
import { waitFor } from './testing/wait-for';

const SETTING = process.env.LAPAK_TEST_COUCHDB_CLUSTER;
const CENTRAL_INI = fileURLToPath(new URL('./central-local.ini', import.meta.url));
/** Orders the east store takes while cut off from central: the backlog its replication catches up on. */
const BACKLOG = 1000;
const LONG = 240_000;

if (!SETTING)
  console.log(
    '[cluster] central-on-a-cluster test skipped: set LAPAK_TEST_COUCHDB_CLUSTER=1 to run it with ../shared/couchdb/couchdb-node.sh ' +
      '(or =<directory of couchdb-node.sh>)',
  );

/** `count` consecutive free loopback ports in [from, to]. */
async function freePortsIn(from: number, to: number, count: number): Promise<number[]> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
  for (let base = from; base + count - 1 <= to; base += count) {
    const ok = await Promise.all(Array.from({ length: count }, (_, i) => free(base + i)));
    if (ok.every(Boolean)) return Array.from({ length: count }, (_, i) => base + i);
  }
  throw new Error(`no ${count} consecutive free ports in ${from}-${to}`);
}

type Rows = { rows: { id: string; value: { rev: string }; doc?: { _conflicts?: string[] } }[] };

/** The orders of a database, id -> rev, as `server` lists them (conflicts counted too). */
async function ordersIn(server: CouchAdmin, db: string): Promise<{ revs: Map<string, string>; conflicts: number }> {
  const range = `startkey=${enc('"order:"')}&endkey=${enc('"order:\ufff0"')}`;
  const res = await server.request<Rows>('GET', `${enc(db)}/_all_docs?${range}&include_docs=true&conflicts=true`);
  if (res.status !== 200) throw new Error(`${server.label} ${db}/_all_docs: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  const revs = new Map(res.body.rows.map((r) => [r.id, r.value.rev]));
  return { revs, conflicts: res.body.rows.filter((r) => r.doc?._conflicts?.length).length };
}

describe.skipIf(!SETTING)('central on a three-node CouchDB cluster', () => {
  let dir = '';
  let nodes: CouchNodes | null = null;
  let stack: Stack | null = null;
  let dataDir = '';
  let on: TestServers;
  let tenant: string;
  let east: TestStore;
  let west: TestStore;
  let store: CouchAdmin;
  let central: CouchAdmin;
  const log = (line: string) => console.log(`[cluster] ${line}`);

  beforeAll(async () => {
    const script = couchdbNodeScript(SETTING);
    if (!script) throw new Error(`LAPAK_TEST_COUCHDB_CLUSTER=${SETTING}: no couchdb-node.sh there (see ../shared/couchdb/README.md)`);
    const started = Date.now();
    dir = mkdtempSync('/tmp/cdb-cluster-');
    nodes = await startCouchNodes({ script, ports: await freePortsIn(6200, 6299, 3), dirPrefix: `${dir}/`, extraIni: [CENTRAL_INI], log });
    log(`three nodes joined in ${((Date.now() - started) / 1000).toFixed(1)} s: ${nodes.nodes.map((n) => n.url).join(', ')}`);
    tenant = uniqueCode('cl');
    // Central's gateway points at node 1; the node killed below is node 3 (see docs/scale.md).
    const made = await throwawayConfig('cluster', 'cluster-admin-secret', undefined, {
      LAPAK_CENTRAL_COUCH_URL: nodes.adminUrl,
      LAPAK_CENTRAL_DB_Q: '2',
      LAPAK_CENTRAL_DB_N: '3',
      LAPAK_TENANT: tenant,
      LAPAK_STORE: 'east',
    });
    dataDir = made.dataDir;
    const config = made.config;
    stack = await startStack(config, (l) => process.env.LAPAK_TEST_SERVER_LOG && console.error(l));
    on = {
      store: { couchUrl: config.store.url, gatewayUrl: stack.store.gateway.url, admin: config.store.admin },
      central: { couchUrl: config.central.url, gatewayUrl: stack.central.gateway.url, admin: config.central.admin },
      dataDir,
    };
    store = adminOf('store', on);
    central = adminOf('central', on);
    const targets = { centralShards: config.centralShards };
    [east, west] = await Promise.all([
      createStore(tenant, 'east', { on, targets, pairing: false }),
      createStore(tenant, 'west', { on, targets, pairing: false }),
    ]);
    log(`set up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 300_000);

  afterAll(async () => {
    await stack?.stop().catch((e: unknown) => log(`stopping the stack: ${String(e)}`));
    await nodes?.stopAll();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  /** Writes `count` valid orders of `s` on its store server, as its admin, in batches. */
  async function placeOrders(s: TestStore, count: number): Promise<void> {
    const kiosk = { tenant, store: s.store, code: 'KIOSK-GEPREK-01', type: 'kiosk' as const, brand: 'AYAMGEPREK' };
    for (let done = 0; done < count; done += 200) {
      const docs = Array.from({ length: Math.min(200, count - done) }, (_, i) =>
        order(kiosk, { number: `K1-${String(done + i + 1).padStart(4, '0')}` }),
      );
      const res = await store.request<{ ok?: boolean; error?: string }[]>('POST', `${enc(s.ops)}/_bulk_docs`, { docs });
      const refused = res.status < 300 ? res.body.filter((r) => !r.ok) : [];
      if (res.status >= 300 || refused.length) throw new Error(`orders refused by the store: ${res.status} ${JSON.stringify(refused[0])}`);
    }
  }

  async function countAt(server: CouchAdmin, db: string): Promise<number> {
    return (await ordersIn(server, db)).revs.size;
  }

  it('provisions both stores into the cluster with three copies of every shard', async () => {
    for (const s of [east, west])
      for (const db of centralServerDbs(tenant, s.store)) {
        const info = await central.request<{ cluster?: { n: number; q: number } }>('GET', enc(db.name));
        expect(info.body.cluster, db.name).toMatchObject({ n: 3, q: 2 });
        const shards = await central.request<{ shards: Record<string, string[]> }>('GET', `${enc(db.name)}/_shards`);
        for (const copies of Object.values(shards.body.shards)) expect(copies).toHaveLength(3);
      }
  });

  it(
    'carries the stores orders up, and HQ reads its stores and reports at central',
    async () => {
      await Promise.all([placeOrders(east, 20), placeOrders(west, 10)]);
      for (const [s, n] of [
        [east, 20],
        [west, 10],
      ] as const)
        await waitFor(`${n} ${s.store} orders at central`, async () => ((await countAt(central, s.ops)) === n ? true : null), LONG);
      const hq = await createHqUser(tenant, 'ani', on);
      const list = await hq.client.get(`${dbName.hq(tenant)}/_all_docs?startkey=${enc('"store:"')}&endkey=${enc('"store:\ufff0"')}`);
      expect(list.status).toBe(200);
      expect((list.body.rows as unknown as { id: string }[]).map((r) => r.id).sort()).toEqual(['store:east', 'store:west']);
      for (const [s, n] of [
        [east, 20],
        [west, 10],
      ] as const) {
        // What the HQ reports page reads (web/src/hq/reports/report-query.ts), summed over hours and brands.
        const view = await hq.client.get(`${s.ops}/_design/reports/_view/sales_by_hour?group_level=0`);
        expect(view.status).toBe(200);
        const value = (view.body.rows as unknown as { value: { count: number; sum: number } }[])[0]!.value;
        const one = order({ tenant, store: s.store, code: 'KIOSK-GEPREK-01', type: 'kiosk', brand: 'AYAMGEPREK' });
        expect(value).toMatchObject({ count: n, sum: n * one.total });
      }
    },
    LONG,
  );

  it(
    'goes on when a node is killed in the middle of a store catching up: nothing lost, nothing doubled',
    async () => {
      const c = nodes!;
      await stack!.stopLink();
      await placeOrders(east, BACKLOG);
      const atStore = await countAt(store, east.ops);
      const before = await countAt(central, east.ops);
      expect(atStore - before).toBe(BACKLOG);
      await stack!.startLink();
      const started = Date.now();
      const underway = await waitFor(
        'the catch-up to be under way',
        async () => {
          const n = await countAt(central, east.ops);
          return n >= before + 50 ? n : null;
        },
        LONG,
      );
      await c.kill(2);
      log(
        `node 3 killed after ${((Date.now() - started) / 1000).toFixed(1)} s, ${underway - before} of ${BACKLOG} backlog orders at central`,
      );
      expect(underway).toBeLessThan(atStore);
      // The store keeps selling while the node is down.
      await placeOrders(east, 50);
      const total = await countAt(store, east.ops);
      await waitFor('every east order at central', async () => ((await countAt(central, east.ops)) === total ? true : null), LONG);
      log(`backlog caught up ${((Date.now() - started) / 1000).toFixed(1)} s after the link came back, with node 3 down`);
      // A read takes each shard range from one copy: until the two live copies have synced internally
      // (documents written while node 3 died may sit on one of them only), reads can differ. Wait for
      // five reads in a row to agree with the store.
      let agreeing = 0;
      await waitFor(
        'the live copies at central to agree',
        async () => {
          agreeing = (await countAt(central, east.ops)) === total ? agreeing + 1 : 0;
          return agreeing >= 5 ? true : null;
        },
        LONG,
      );
      const [up, down] = await Promise.all([ordersIn(store, east.ops), ordersIn(central, east.ops)]);
      expect(down.revs.size).toBe(up.revs.size);
      expect(Object.fromEntries(down.revs)).toEqual(Object.fromEntries(up.revs));
      expect(down.conflicts).toBe(0);
      // HQ's report counts each order once.
      const hq = await createHqUser(tenant, 'budi', on);
      const view = await hq.client.get(`${east.ops}/_design/reports/_view/sales_by_hour?group_level=0`);
      expect((view.body.rows as unknown as { value: { count: number } }[])[0]!.value.count).toBe(total);
    },
    2 * LONG,
  );

  it(
    'catches the node up when it returns: its copies hold every order',
    async () => {
      const c = nodes!;
      await c.start(2);
      const everyone = c.nodes.map((n) => `${n.name}@127.0.0.1`).sort();
      await waitFor(
        'node 3 back in the cluster',
        async () => {
          const m = await c.request<{ cluster_nodes: string[]; all_nodes: string[] }>(0, 'GET', '/_membership');
          return JSON.stringify([...m.body.all_nodes].sort()) === JSON.stringify(everyone) ? true : null;
        },
        LONG,
      );
      // Internal replication pushes what node 3 missed from the copies on nodes 1 and 2; wait for
      // their queues to stay empty for three samples in a row.
      let quiet = 0;
      const waited = Date.now();
      await waitFor(
        'internal replication to node 3 to finish',
        async () => {
          const queued = await Promise.all([0, 1, 2].map((i) => internalReplicationJobs(c, i)));
          quiet = queued.every((q) => q === 0) ? quiet + 1 : 0;
          if (quiet === 0) log(`internal replication jobs queued: ${queued.join(', ')}`);
          return quiet >= 3 ? true : null;
        },
        LONG,
      );
      log(`internal replication quiet ${((Date.now() - waited) / 1000).toFixed(1)} s after node 3 rejoined`);
      // Read node 3's own copies: with nodes 1 and 2 stopped, a clustered read has only them.
      const expected = await Promise.all([east, west].map(async (s) => (await ordersIn(store, s.ops)).revs));
      await stack!.stopLink();
      await c.stop(0);
      await c.stop(1);
      const node3: CouchAdmin = {
        label: 'node 3 alone',
        url: c.nodes[2]!.url,
        request: <T>(method: string, path: string, body?: unknown) => c.request<T>(2, method, `/${path}`, body),
      };
      for (const [i, s] of [east, west].entries()) {
        const alone = await ordersIn(node3, s.ops);
        expect(alone.revs.size, `${s.store} orders on node 3 alone`).toBe(expected[i]!.size);
        expect(Object.fromEntries(alone.revs)).toEqual(Object.fromEntries(expected[i]!));
      }
    },
    2 * LONG,
  );
});
