// Anti-entropy against real servers: orders central never got (a forged replication
// checkpoint, a stopped replication) reach it when the reconciler runs, exactly once each,
// with a report HQ sees; a clean run writes nothing anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbName } from '../../design-docs/lib/names';
import { order } from '../../design-docs/testing/fixtures';
import type { ReconcileReport } from '../../design-docs/lib/types';
import type { CouchAdmin } from '../../scripts/lib/couch-admin';
import { enc } from '../testing/http';
import { adminOf, uniqueCode } from '../testing/servers';
import { createHqUser, createStore, type TestStore } from '../testing/tenants';
import { waitFor } from '../testing/wait-for';
import { startReconciler, type Reconciler } from './reconcile';
import { endpointOf, pouchCheckpointKey } from './replication-status';

let s: TestStore;
let hq: Awaited<ReturnType<typeof createHqUser>>;
let reconciler: Reconciler;
let control: string;
let job: string;

beforeAll(async () => {
  s = await createStore(uniqueCode('rc'), 'mall');
  hq = await createHqUser(s.tenant);
  control = dbName.control(s.tenant, s.store);
  job = `lapak_${s.tenant}_${s.store}_ops_up`;
  reconciler = startReconciler({
    store: adminOf('store'),
    tenant: s.tenant,
    storeCode: s.store,
    intervalMs: 10 * 60_000,
    graceMs: 300,
  });
  await reconciler.run(); // the start-up sweep, while the new store's first documents may still be on their way
}, 60_000);

afterAll(() => reconciler.stop());

async function writeOrders(n: number): Promise<string[]> {
  const k = s.terminals['KIOSK-GEPREK-01']!;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const doc = { ...order({ tenant: s.tenant, store: s.store, code: k.code, type: k.type, brand: k.brand }), device_id: k.deviceId };
    const put = await k.client.put(`${s.ops}/${enc(doc._id)}`, doc);
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    ids.push(doc._id);
  }
  return ids;
}

async function status(server: 'store' | 'central', id: string): Promise<number> {
  return (await adminOf(server).request('GET', `${enc(s.ops)}/${enc(id)}`)).status;
}

async function orderRevs(server: 'store' | 'central'): Promise<Record<string, string>> {
  const res = await adminOf(server).request<{ rows: { id: string; value: { rev: string } }[] }>(
    'GET',
    `${enc(s.ops)}/_all_docs?startkey=${enc('"order:"')}&endkey=${enc('"order:\ufff0"')}`,
  );
  return Object.fromEntries(res.body.rows.map((r) => [r.id, r.value.rev]));
}

async function updateSeq(server: CouchAdmin, db: string): Promise<string> {
  return JSON.stringify((await server.request<{ update_seq: unknown }>('GET', enc(db))).body.update_seq);
}

const STATE_FIELDS = [
  '_rev',
  '_replication_id',
  '_replication_state',
  '_replication_state_time',
  '_replication_state_reason',
  '_replication_stats',
];

async function flavorOf(): Promise<'couchdb' | 'pouchdb-server'> {
  return (await adminOf('store').request('GET', '')).body.couchdb === 'Welcome' ? 'couchdb' : 'pouchdb-server';
}

async function stopReplication(): Promise<Record<string, unknown>> {
  const doc = (await adminOf('store').request<Record<string, unknown>>('GET', `_replicator/${enc(job)}`)).body;
  const del = await adminOf('store').request('DELETE', `_replicator/${enc(job)}?rev=${enc(String(doc._rev))}`);
  expect(del.status).toBeLessThan(300);
  // Either server ends the job a moment after its document goes; until then it may still carry what the
  // test means it to have missed.
  if ((await flavorOf()) === 'couchdb') {
    await waitFor(
      'the replication job to end',
      async () => ((await adminOf('store').request('GET', `_scheduler/docs/_replicator/${enc(job)}`)).status === 200 ? null : true),
      30_000,
    );
  } else await replicatorCaughtUp(doc.source);
  return Object.fromEntries(Object.entries(doc).filter(([k]) => !STATE_FIELDS.includes(k)));
}

/**
 * PouchDB Server has no _scheduler; its replicator handles _replicator changes one after another, so once
 * a later probe job has been picked up, the deleted job's replication has been cancelled.
 */
async function replicatorCaughtUp(source: unknown): Promise<void> {
  const probe = `probe-${Date.now()}`;
  expect((await adminOf('store').request('PUT', `_replicator/${probe}`, { source, target: source })).status).toBeLessThan(300);
  const done = await waitFor(
    'the replicator to pick up a probe job',
    async () => {
      const res = await adminOf('store').request<{ _rev: string; _replication_state?: string }>('GET', `_replicator/${probe}`);
      return ['completed', 'error'].includes(res.body._replication_state ?? '') ? res.body : null;
    },
    30_000,
  );
  await adminOf('store').request('DELETE', `_replicator/${probe}?rev=${enc(done._rev)}`);
}

async function startReplication(doc: Record<string, unknown>): Promise<void> {
  // A new field: PouchDB Server otherwise takes it for the replication it just cancelled (as the watchdog does).
  const put = await adminOf('store').request('PUT', `_replicator/${enc(job)}`, { ...doc, restarted_at: new Date().toISOString() });
  expect(put.status).toBeLessThan(300);
}

/** The id of the checkpoint both sides keep for the store's ops replication (`_local/<key>`). */
async function checkpointKey(doc: Record<string, unknown>, flavor: 'couchdb' | 'pouchdb-server'): Promise<string> {
  if (flavor === 'couchdb') {
    const res = await adminOf('store').request<{ id?: string }>('GET', `_scheduler/docs/_replicator/${enc(job)}`);
    return String(res.body.id).split('+')[0]!;
  }
  const key = await pouchCheckpointKey(endpointOf(doc.source)!, endpointOf(doc.target)!);
  return key!;
}

type Checkpoint = Record<string, unknown> & { history?: Record<string, unknown>[] };

/** The replication's checkpoint on `server`, once written: CouchDB writes it a few seconds after the documents (local.ini's checkpoint_interval). */
function checkpoint(server: CouchAdmin, key: string): Promise<Checkpoint> {
  return waitFor(
    `checkpoint ${key} on the ${server.label}`,
    async () => {
      const res = await server.request<Checkpoint>('GET', `${enc(s.ops)}/_local/${enc(key)}`);
      return res.status === 200 ? res.body : null;
    },
    30_000,
  );
}

/** What a kiosk that could move checkpoints did: both sides' checkpoint now claims `seq` was replicated. */
async function forgeCheckpoint(server: CouchAdmin, key: string, seq: unknown): Promise<void> {
  const path = `${enc(s.ops)}/_local/${enc(key)}`;
  const cp = await checkpoint(server, key);
  const history = (cp.history ?? []).map((h, i) => (i === 0 ? { ...h, last_seq: seq, recorded_seq: seq } : h));
  const forged = 'source_last_seq' in cp ? { ...cp, source_last_seq: seq, history } : { ...cp, last_seq: seq, history };
  expect((await server.request('PUT', path, forged)).status).toBeLessThan(300);
}

async function reportAtCentral(id: string): Promise<ReconcileReport> {
  return waitFor(
    `report ${id} at central`,
    async () => {
      const res = await hq.client.get(`${control}/${enc(id)}`);
      return res.status === 200 ? (res.body as unknown as ReconcileReport) : null;
    },
    30_000,
  );
}

describe('anti-entropy between the store and central', () => {
  it('brings central the orders a forged replication checkpoint made it skip, once each, and reports the count', async () => {
    const flavor = await flavorOf();
    const [first] = await writeOrders(1);
    await waitFor('the first order at central', async () => ((await status('central', first!)) === 200 ? true : null), 30_000);

    const doc = (await adminOf('store').request<Record<string, unknown>>('GET', `_replicator/${enc(job)}`)).body;
    const key = await checkpointKey(doc, flavor);
    await Promise.all([checkpoint(adminOf('store'), key), checkpoint(adminOf('central'), key)]);
    const fresh = await stopReplication();
    const skipped = await writeOrders(4);
    const seq = (await adminOf('store').request<{ update_seq: unknown }>('GET', enc(s.ops))).body.update_seq;
    await forgeCheckpoint(adminOf('store'), key, seq);
    await forgeCheckpoint(adminOf('central'), key, seq);
    await startReplication(fresh);

    const [after] = await writeOrders(1);
    await waitFor(
      'an order written after the restart at central',
      async () => ((await status('central', after!)) === 200 ? true : null),
      30_000,
    );
    for (const id of skipped) expect(await status('central', id), `${id} skipped by the forged checkpoint`).toBe(404);

    const result = await reconciler.run('window');
    expect(result.dbs.find((d) => d.db === s.ops)).toMatchObject({ pushed: 4 });
    expect(result.pushed).toBe(4);
    const atStore = await orderRevs('store');
    expect(await orderRevs('central')).toEqual(atStore);
    expect(Object.values(atStore).every((rev) => rev.startsWith('1-'))).toBe(true);
    const report = await reportAtCentral(result.report!);
    expect(report).toMatchObject({ type: 'reconcile_report', sweep: 'window', pushed: 4, tenant: s.tenant, store: s.store });
  });

  it('pushes what a stopped replication never sent, in a full sweep as well', async () => {
    const fresh = await stopReplication();
    const missing = await writeOrders(3);
    for (const id of missing) expect(await status('central', id)).toBe(404);
    const result = await reconciler.run('full');
    expect(result.dbs.find((d) => d.db === s.ops)).toMatchObject({ pushed: 3 });
    expect(await orderRevs('central')).toEqual(await orderRevs('store'));
    await startReplication(fresh);
    await reportAtCentral(result.report!);
  });

  it('writes nothing on either server when central already has everything', async () => {
    const store = adminOf('store');
    const central = adminOf('central');
    const dbs = [s.ops, s.directory, control];
    const before = await Promise.all(dbs.flatMap((db) => [updateSeq(store, db), updateSeq(central, db)]));
    for (const sweep of ['window', 'full'] as const) {
      const result = await reconciler.run(sweep);
      expect(result).toMatchObject({ pushed: 0, report: null });
      expect(result.checked).toBeGreaterThan(0);
    }
    expect(await Promise.all(dbs.flatMap((db) => [updateSeq(store, db), updateSeq(central, db)]))).toEqual(before);
  });
});
