// A test run against a configured CouchDB (LAPAK_TEST_*_COUCH_URL) leaves that server as it
// found it: the databases, accounts and replication documents created during the run are
// removed at the end. Embedded servers need none of this (their data directory is deleted),
// but a CouchDB outlives the run, and replications of earlier runs would keep retrying
// gateways that are gone, loading the server for every later run.
import type { CouchEndpoint } from '../config';
import { nanoAdmin } from '../../scripts/lib/nano-admin';

interface Snapshot {
  dbs: Set<string>;
  users: Set<string>;
  replications: Set<string>;
}

async function ids(endpoint: CouchEndpoint, db: string): Promise<string[]> {
  const res = await nanoAdmin('test server', endpoint).request<{ rows?: { id: string }[] }>('GET', `${db}/_all_docs`);
  return (res.body.rows ?? []).map((r) => r.id).filter((id) => !id.startsWith('_design/'));
}

export async function snapshotServer(endpoint: CouchEndpoint): Promise<Snapshot> {
  const admin = nanoAdmin('test server', endpoint);
  const dbs = (await admin.request<string[]>('GET', '_all_dbs')).body;
  return { dbs: new Set(dbs), users: new Set(await ids(endpoint, '_users')), replications: new Set(await ids(endpoint, '_replicator')) };
}

/** Removes what appeared on the server since `before` (replications first, so none restarts on a deleted database). */
export async function removeLeftovers(endpoint: CouchEndpoint, before: Snapshot): Promise<void> {
  const admin = nanoAdmin('test server', endpoint);
  for (const db of ['_replicator', '_users']) {
    const known = db === '_users' ? before.users : before.replications;
    const res = await admin.request<{ rows?: { id: string; value: { rev: string } }[] }>('GET', `${db}/_all_docs`);
    const docs = (res.body.rows ?? [])
      .filter((r) => !r.id.startsWith('_design/') && !known.has(r.id))
      .map((r) => ({ _id: r.id, _rev: r.value.rev, _deleted: true }));
    if (docs.length) await admin.request('POST', `${db}/_bulk_docs`, { docs });
  }
  const now = (await admin.request<string[]>('GET', '_all_dbs')).body;
  for (const db of now) if (!before.dbs.has(db)) await admin.request('DELETE', encodeURIComponent(db));
}
