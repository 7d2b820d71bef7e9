// The disk guard in front of a real PouchDB Server whose data sits on a small tmpfs that is
// filled until the kernel refuses another byte: writes through the gateway are refused with
// 507 and a clear reason, nothing already stored is lost, reads go on, and once space
// returns a device's replication delivers what it kept, exactly once.
import PouchDB from 'pouchdb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPouchDbServer, type EmbeddedServer } from '../embedded/pouchdb-server';
import { freePort } from '../testing/free-port';
import { Raw } from '../testing/http';
import { smallDisk, type SmallDisk } from '../testing/small-disk';
import { DiskGuard } from './disk-guard';
import { startGateway, type Gateway } from './server';
import { DEFAULT_LOGIN_LIMITS } from './login-throttle';

const MB = 1024 * 1024;
const root = mkdtempSync(join(tmpdir(), 'lapak-disk-guard-'));
const admin = { username: 'admin', password: 'disk-guard-secret' };
let disk: SmallDisk;
let couch: EmbeddedServer;
let gateway: Gateway;
let guard: DiskGuard;

beforeAll(async () => {
  disk = smallDisk(join(root, 'data'), 48);
  const port = await freePort();
  couch = await startPouchDbServer({ url: `http://127.0.0.1:${port}`, admin, embedded: true, port }, disk.dir, 'disk-guard couch');
  guard = new DiskGuard(disk.dir, 8 * MB, 'store');
  gateway = await startGateway({
    host: '127.0.0.1',
    port: await freePort(),
    tls: null,
    loginLimits: DEFAULT_LOGIN_LIMITS,
    upstream: couch.url,
    staticDir: root,
    label: 'store',
    site: { kind: 'store', tenant: 'disk', store: 'full' },
    diskGuard: guard,
  });
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await couch?.stop();
  disk?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the store server’s disk runs full', () => {
  it('refuses writes with 507 and a reason, keeps what was stored, and takes the queued documents once space returns', async () => {
    const db = new Raw(`${gateway.url}/db`, admin);
    expect((await db.put('lapak_disk', {})).status).toBe(201);
    const saved = Array.from({ length: 20 }, (_, i) => ({ _id: `order:saved-${i}`, n: i }));
    expect((await db.post('lapak_disk/_bulk_docs', { docs: saved })).status).toBe(201);

    // A device's replica: it keeps writing while the server cannot.
    const device = new PouchDB(join(root, 'device'));
    const remote = new PouchDB(`${gateway.url}/db/lapak_disk`, { auth: admin, skip_setup: true });

    const mode = await disk.fill(guard, 0);
    console.log(`disk full by ${mode === 'tmpfs' ? 'filling a tmpfs until ENOSPC' : 'raising the reserve (mount not permitted)'}`);
    if (mode === 'tmpfs') expect(await guard.freeBytes()).toBeLessThan(64 * 1024);

    const put = await db.put('lapak_disk/order%3Alate', { n: 99 });
    expect(put.status).toBe(507);
    expect(put.body).toMatchObject({ error: 'insufficient_storage' });
    expect(String(put.body.reason)).toMatch(/store server's disk is full .* Nothing was written/);
    expect((await db.post('lapak_disk/_bulk_docs', { docs: [{ _id: 'order:bulk' }] })).status).toBe(507);

    const queued = Array.from({ length: 5 }, (_, i) => ({ _id: `order:queued-${i}`, n: 100 + i }));
    await device.bulkDocs(queued);
    const refused = (await PouchDB.replicate(device, remote).catch((e: unknown) => e)) as { status?: number; name?: string };
    expect(refused.status).toBe(507);
    expect(refused.name).toBe('insufficient_storage');

    // Reads go on, and nothing stored before is lost.
    const all = await db.get('lapak_disk/_all_docs?include_docs=true');
    expect(all.status).toBe(200);
    expect((all.body.rows as { id: string }[]).map((r) => r.id).sort()).toEqual(saved.map((d) => d._id).sort());
    expect((await db.post('lapak_disk/_revs_diff', { 'order:queued-0': ['1-a'] })).status).toBe(200);

    await disk.empty(guard);
    const result = await PouchDB.replicate(device, remote);
    expect(result.docs_written).toBe(5);
    expect(result.doc_write_failures).toBe(0);
    expect((await PouchDB.replicate(device, remote)).docs_written).toBe(0);
    const after = await db.get('lapak_disk/_all_docs?include_docs=true');
    const docs = (after.body.rows as { doc: { _id: string; n: number } }[]).map((r) => r.doc);
    expect(docs.map((d) => d._id).sort()).toEqual([...saved, ...queued].map((d) => d._id).sort());
    for (const d of saved) expect(docs.find((x) => x._id === d._id)?.n).toBe(d.n);
    expect((await db.put('lapak_disk/order%3Alate', { n: 99 })).status).toBe(201);
    await device.close();
  });
});
