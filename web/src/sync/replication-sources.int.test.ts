// The pull source and push target against the real store server: a replica pulled through
// them holds exactly what the server has (revision histories included), first revisions
// come from the changes feed, later ones still from _bulk_get, the database info is read
// once rather than per batch, and what the pull brought in is not asked about again by the
// push, while what the device writes still goes up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PouchDB from 'pouchdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOf, servers, uniqueCode } from '../../../couch/testing/servers';
import { waitFor } from '../../../couch/testing/wait-for';
import { pullSource } from './pull-source';
import { pushTarget } from './push-target';
import { ServerRevs } from './server-revs';

const dir = mkdtempSync(join(tmpdir(), 'lapak-pull-source-'));
const dbName = `lapak_pull_${uniqueCode('t')}`;
let remoteUrl: string;
/** Requests the pull made to the server, as "METHOD path" (no query). */
const requests: string[] = [];

function remote() {
  const { admin } = servers().store;
  return new PouchDB(remoteUrl, {
    skip_setup: true,
    auth: admin,
    fetch: (url: string | Request, opts?: RequestInit) => {
      requests.push(`${opts?.method ?? 'GET'} ${new URL(String(url)).pathname.split('/').slice(2).join('/') || '/'}`);
      return PouchDB.fetch(url, opts);
    },
  } as PouchDB.Configuration.RemoteDatabaseConfiguration);
}

const count = (what: string) => requests.filter((r) => r === what).length;

beforeAll(async () => {
  remoteUrl = `${servers().store.couchUrl}/${dbName}`;
  expect((await adminOf('store').request('PUT', dbName)).status).toBeLessThan(300);
});

afterAll(async () => {
  await adminOf('store').request('DELETE', dbName);
  rmSync(dir, { recursive: true, force: true });
});

describe('pull source and push target against the store server', () => {
  it('replicates first revisions without _bulk_get and later revisions with it, histories intact', async () => {
    const server = new PouchDB(remoteUrl, { skip_setup: true, auth: servers().store.admin });
    await server.bulkDocs([
      { _id: 'a', n: 1 },
      { _id: 'b', n: 2 },
    ]);
    const edited = await server.put({ _id: 'c', n: 3 });
    await server.put({ _id: 'c', _rev: edited.rev, n: 4 });
    const gone = await server.put({ _id: 'd', n: 5 });
    await server.remove('d', gone.rev);

    const local = new PouchDB(join(dir, 'one-shot'));
    requests.length = 0;
    await local.replicate.from(pullSource(remote()), { batch_size: 100, checkpoint: 'target' });

    for (const id of ['a', 'b', 'c']) {
      const here = await local.get(id, { revs: true });
      const there = await server.get(id, { revs: true });
      expect(here).toEqual(there);
    }
    await expect(local.get('d')).rejects.toMatchObject({ status: 404 });
    expect((await local.get('d', { revs: true, open_revs: 'all' }))[0]).toEqual(
      (await server.get('d', { revs: true, open_revs: 'all' }))[0],
    );
    // c and d are at their second revision: only they were fetched.
    expect(count('POST _bulk_get')).toBe(1);
    await local.destroy();
  });

  it('keeps a live replica current, reading the database info once rather than per batch', async () => {
    const server = new PouchDB(remoteUrl, { skip_setup: true, auth: servers().store.admin });
    const local = new PouchDB(join(dir, 'live'));
    requests.length = 0;
    const pull = local.replicate.from(pullSource(remote()), { live: true, retry: true, checkpoint: 'target' });
    try {
      // The first test's documents come first (c and d by _bulk_get); count from then on.
      await waitFor('the catch-up', () => local.get('c').catch(() => null));
      requests.length = 0;
      for (let i = 0; i < 5; i++) {
        await server.put({ _id: `live-${i}`, i });
        await waitFor(`live-${i} in the replica`, () => local.get(`live-${i}`).catch(() => null));
      }
      const docs = await local.allDocs({ include_docs: true, keys: [0, 1, 2, 3, 4].map((i) => `live-${i}`) });
      expect(docs.rows.map((r) => ('doc' in r ? (r.doc as { i?: number } | null)?.i : undefined))).toEqual([0, 1, 2, 3, 4]);
      expect(count('POST _bulk_get')).toBe(0);
      expect(count('GET /')).toBeLessThanOrEqual(1);
    } finally {
      pull.cancel();
      await local.destroy();
    }
  });

  it('does not ask the server about what it pulled from it, and still pushes what the device writes', async () => {
    const server = new PouchDB(remoteUrl, { skip_setup: true, auth: servers().store.admin });
    const local = new PouchDB(join(dir, 'both-ways'));
    const known = new ServerRevs();
    const live = { live: true, retry: true };
    const pull = local.replicate.from(pullSource(remote(), known), { ...live, checkpoint: 'target' });
    const push = local.replicate.to(pushTarget(remote(), known), { ...live, checkpoint: 'source' });
    try {
      await waitFor('the catch-up', () => local.get('live-4').catch(() => null));
      requests.length = 0;
      for (let i = 0; i < 3; i++) {
        await server.put({ _id: `pulled-${i}`, i });
        await waitFor(`pulled-${i} in the replica`, () => local.get(`pulled-${i}`).catch(() => null));
      }
      await new Promise((r) => setTimeout(r, 500));
      expect(count('POST _revs_diff')).toBe(0);
      expect(count('POST _bulk_docs')).toBe(0);

      const mine = await local.put({ _id: 'written-here', n: 1 });
      const there = await waitFor('the device write on the server', () => server.get('written-here').catch(() => null));
      expect(there._rev).toBe(mine.rev);
      expect(count('POST _revs_diff')).toBe(1);
    } finally {
      pull.cancel();
      push.cancel();
      await local.destroy();
    }
  });

  it('sends a document written on the device without asking first', async () => {
    const server = new PouchDB(remoteUrl, { skip_setup: true, auth: servers().store.admin });
    const local = new PouchDB(join(dir, 'unasked'));
    const known = new ServerRevs();
    try {
      const mine = await local.put({ _id: 'fresh-1', n: 1 });
      known.written('fresh-1', mine.rev);
      requests.length = 0;
      await local.replicate.to(pushTarget(remote(), known), { checkpoint: 'source' });
      expect((await server.get('fresh-1'))._rev).toBe(mine.rev);
      expect(count('POST _revs_diff')).toBe(0);
      expect(count('POST _bulk_docs')).toBe(1);
      // Once a push has tried to send it, the server may have it: the next push asks.
      expect(known.lacks('fresh-1', mine.rev)).toBe(false);
    } finally {
      await local.destroy();
    }
  });

  it('drops the refusal of a revision sent unasked that the server already has', async () => {
    const immutable = `lapak_pull_${uniqueCode('v')}`;
    const url = `${servers().store.couchUrl}/${immutable}`;
    expect((await adminOf('store').request('PUT', immutable)).status).toBeLessThan(300);
    // Like the orders rule: a document cannot be written again once it exists. PouchDB Server
    // applies it to a replicated revision it already has; CouchDB skips that no-op write.
    await adminOf('store').request('PUT', `${immutable}/_design/v`, {
      validate_doc_update: 'function (newDoc, oldDoc) { if (oldDoc) throw { forbidden: "immutable" }; }',
    });
    const local = new PouchDB(join(dir, 'resend'));
    const target = () => new PouchDB(url, { skip_setup: true, auth: servers().store.admin });
    try {
      const mine = await local.put({ _id: 'twice', n: 1 });
      await local.replicate.to(target(), { checkpoint: false });
      // A second attempt, as after an answer lost on the way back: written, never sent, as far as this page knows.
      const known = new ServerRevs();
      known.written('twice', mine.rev);
      const denied: unknown[] = [];
      const result = await local.replicate.to(pushTarget(target(), known), { checkpoint: false }).on('denied', (e) => denied.push(e));
      expect(denied).toEqual([]);
      expect(result.doc_write_failures).toBe(0);
      expect((await target().get('twice'))._rev).toBe(mine.rev);
    } finally {
      await local.destroy();
      await adminOf('store').request('DELETE', immutable);
    }
  });
});
