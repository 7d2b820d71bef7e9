import { describe, expect, it } from 'vitest';
import { callerOf, ANONYMOUS_CALLER, type Caller } from './callers';
import { parseCouchPath } from './canonical-path';
import { decide, parseDbName, type Site } from './decide';

const kiosk = callerOf('terminal.yogya.bsd.KIOSK-01', ['store:yogya:bsd', 'tenant:yogya', 'terminal:kiosk', 'brand:AYAM']);
const board = callerOf('terminal.yogya.bsd.BOARD-01', ['store:yogya:bsd', 'tenant:yogya', 'terminal:board', 'brand:AYAM']);
const manager = callerOf('storeadmin.yogya.bsd.rina', ['storeadmin:yogya:bsd', 'tenant:yogya']);
const hq = callerOf('hq.yogya.budi', ['hq:yogya', 'tenant:yogya']);
const otherHq = callerOf('hq.sinar.sari', ['hq:sinar', 'tenant:sinar']);
const replicator = callerOf('replicator.yogya.bsd', ['replicator:yogya:bsd', 'tenant:yogya']);
const admin = callerOf('admin', ['_admin']);
// A name that looks like a terminal but lacks the store role is no terminal.
const fake = callerOf('terminal.yogya.bsd.KIOSK-01', ['terminal:kiosk']);

function allowed(site: Site, caller: Caller, method: string, raw: string): boolean {
  const parsed = parseCouchPath(raw);
  if (!parsed.ok) throw new Error(parsed.reason);
  return decide(site, method, parsed.path, caller).allow;
}

const ops = '/lapak_yogya_bsd_ops';
const dir = '/lapak_yogya_bsd_directory';
const pub = '/lapak_yogya_bsd_public';
const control = '/lapak_yogya_bsd_control';
const catalog = '/lapak_yogya_catalog';

// prettier-ignore
const CASES: [Site, Caller, string, string, boolean][] = [
  // the public directory, and nothing else, for strangers on the store LAN
  ['store',   ANONYMOUS_CALLER, 'GET',    `${pub}/_all_docs?include_docs=true`, true],
  ['store',   ANONYMOUS_CALLER, 'GET',    `${pub}/_changes`, true],
  ['store',   ANONYMOUS_CALLER, 'PUT',    `${pub}/terminal:KIOSK-01`, false],
  ['store',   ANONYMOUS_CALLER, 'POST',   `${pub}/_bulk_docs`, false],
  ['store',   ANONYMOUS_CALLER, 'POST',   `${pub}/_find`, false],
  ['store',   kiosk,            'PUT',    `${pub}/terminal:KIOSK-01`, false],
  ['store',   hq,               'PUT',    `${pub}/terminal:KIOSK-01`, false],
  ['central', ANONYMOUS_CALLER, 'GET',    `${pub}/_all_docs`, false],
  ['store',   ANONYMOUS_CALLER, 'GET',    `${dir}/_all_docs?include_docs=true`, false],
  ['store',   ANONYMOUS_CALLER, 'PUT',    `${dir}/binding:KIOSK-01`, false],
  ['store',   ANONYMOUS_CALLER, 'GET',    `${ops}/_all_docs`, false],
  ['store',   ANONYMOUS_CALLER, 'POST',   `${dir}/_find`, false],
  ['store',   ANONYMOUS_CALLER, 'GET',    `${dir}/_index`, false],
  ['store',   ANONYMOUS_CALLER, 'POST',   `${dir}/_explain`, false],
  ['store',   ANONYMOUS_CALLER, 'DELETE', `${dir}/_index/_design/lapak/json/v`, false],
  ['central', ANONYMOUS_CALLER, 'GET',    `${dir}`, false],
  ['central', ANONYMOUS_CALLER, 'GET',    '/lapak_nosuch_x_ops', false],
  ['store',   ANONYMOUS_CALLER, 'POST',   '/_session', true],
  ['store',   ANONYMOUS_CALLER, 'GET',    '/_all_dbs', false],
  // PouchDB Server 4.2 lists every database to any logged-in user; CouchDB to admins only
  ['store',   kiosk, 'GET',    '/_all_dbs', false],
  ['store',   ANONYMOUS_CALLER, 'GET',    '/_users/_all_docs', false],
  ['store',   ANONYMOUS_CALLER, 'GET',    '/_replicator/_all_docs', false],
  ['store',   ANONYMOUS_CALLER, 'GET',    '/_utils/index.html', true],
  // a kiosk: its store's replication, its own account, nothing that manages anything
  ['store',   kiosk, 'GET',    `${ops}/_changes?feed=longpoll`, true],
  ['store',   kiosk, 'POST',   `${ops}/_bulk_docs`, true],
  ['store',   kiosk, 'POST',   `${ops}/_revs_diff`, true],
  ['store',   kiosk, 'GET',    `${catalog}/product:x/photo.jpg`, true],
  ['store',   kiosk, 'PUT',    `${catalog}/product:x`, false],
  ['store',   kiosk, 'PUT',    `${ops}/_local/checkpoint`, false],
  ['store',   kiosk, 'GET',    `${ops}/_local/checkpoint`, false],
  ['store',   kiosk, 'PUT',    `${ops}/_design/lapak`, false],
  ['store',   kiosk, 'DELETE', `${ops}/_design/lapak`, false],
  ['store',   kiosk, 'PUT',    `${ops}/_security`, false],
  ['store',   kiosk, 'POST',   `${ops}/_index`, false],
  ['store',   kiosk, 'POST',   `${ops}/_find`, false],
  ['store',   kiosk, 'POST',   `${ops}/_purge`, false],
  ['store',   kiosk, 'POST',   `${ops}/_compact`, false],
  ['store',   kiosk, 'POST',   ops, false],
  ['store',   kiosk, 'COPY',   `${ops}/order:1`, false],
  ['store',   kiosk, 'GET',    `${control}/_all_docs`, false],
  ['store',   kiosk, 'GET',    '/lapak_yogya_jkt_ops', false],
  ['store',   kiosk, 'GET',    '/lapak_sinar_catalog', false],
  ['store',   kiosk, 'GET',    '/_users/org.couchdb.user:terminal.yogya.bsd.KIOSK-01', true],
  ['store',   kiosk, 'PUT',    '/_users/org.couchdb.user:terminal.yogya.bsd.KIOSK-01', true],
  ['store',   kiosk, 'GET',    '/_users/org.couchdb.user:terminal.yogya.bsd.KASIR-01', false],
  ['store',   kiosk, 'PUT',    '/_users/org.couchdb.user:hq.yogya.new', false],
  ['store',   kiosk, 'GET',    '/_users/_design/_auth', false],
  ['store',   kiosk, 'GET',    '/_node/_local/_config', false],
  ['store',   kiosk, 'POST',   '/_replicate', false],
  ['store',   fake,  'GET',    `${ops}/_changes`, false],
  // a ready board writes nothing
  ['store',   board, 'GET',    `${ops}/_changes`, true],
  ['store',   board, 'POST',   `${ops}/_bulk_docs`, false],
  ['store',   board, 'PUT',    `${dir}/binding:BOARD-01`, true],
  // the store manager reaches the control database, not the catalog's writes
  ['store',   manager, 'GET',  `${control}/_all_docs`, true],
  ['store',   manager, 'PUT',  `${catalog}/product:x`, false],
  // HQ: its tenant at central, Mango queries (indexed: find-guard.ts), never another tenant
  ['central', hq, 'POST',   `${ops}/_find`, true],
  ['central', hq, 'PUT',    `${catalog}/product:x/photo.jpg`, true],
  ['central', hq, 'GET',    '/lapak_yogya_hq/_all_docs', true],
  ['central', hq, 'PUT',    `${ops}/_local/x`, false],
  ['central', hq, 'PUT',    `${ops}/_design/evil`, false],
  ['central', otherHq, 'GET', `${ops}/_all_docs`, false],
  ['central', otherHq, 'POST', `${ops}/_find`, false],
  ['central', otherHq, 'GET', '/lapak_yogya_hq', false],
  // the store's replication account: its own store's checkpoints at central, nothing of another store
  ['central', replicator, 'PUT',  `${ops}/_local/abc`, true],
  ['central', replicator, 'POST', `${ops}/_ensure_full_commit`, true],
  ['central', replicator, 'POST', '/lapak_yogya_jkt_ops/_ensure_full_commit', false],
  ['central', hq, 'POST',         `${ops}/_ensure_full_commit`, false],
  ['store',   kiosk, 'POST',      `${ops}/_ensure_full_commit`, false],
  ['central', replicator, 'GET',  `${catalog}/_local/abc`, true],
  ['central', replicator, 'PUT',  '/lapak_yogya_jkt_ops/_local/abc', false],
  ['central', replicator, 'POST', '/lapak_yogya_jkt_ops/_bulk_docs', false],
  ['central', replicator, 'PUT',  `${catalog}/product:x`, false],
  ['store',   replicator, 'PUT',  `${ops}/_local/abc`, false],
  // server admins manage the server
  ['store',   admin, 'PUT',  '/lapak_new_db', true],
  ['store',   admin, 'GET',  '/_all_dbs', true],
];

describe('the allowlist', () => {
  it.each(
    CASES.map(
      ([site, caller, method, path, ok]) =>
        [`${ok ? 'lets' : 'refuses'} ${caller.name ?? 'anonymous'} ${method} ${path} at ${site}`, site, caller, method, path, ok] as const,
    ),
  )('%s', (_title, site, caller, method, path, ok) => {
    expect(allowed(site, caller, method, path)).toBe(ok);
  });

  it('answers a database that does not exist exactly as one that does', () => {
    const real = parseCouchPath(`${ops}/_all_docs`);
    const made = parseCouchPath('/lapak_madeup_x_ops/_all_docs');
    if (!real.ok || !made.ok) throw new Error('parse');
    expect(decide('central', 'GET', made.path, otherHq)).toEqual({
      ...decide('central', 'GET', real.path, otherHq),
      reason: expect.any(String),
    });
    expect(decide('central', 'GET', made.path, ANONYMOUS_CALLER).allow).toBe(false);
    expect((decide('central', 'GET', made.path, ANONYMOUS_CALLER) as { status: number }).status).toBe(401);
  });

  it('knows Lapak’s database names and nothing else', () => {
    expect(parseDbName('lapak_yogya_bsd_ops')).toEqual({ name: 'lapak_yogya_bsd_ops', kind: 'ops', tenant: 'yogya', store: 'bsd' });
    expect(parseDbName('lapak_yogya_catalog')).toMatchObject({ kind: 'catalog', tenant: 'yogya' });
    for (const name of ['_users', '_replicator', 'lapak_yogya_bsd_evil', 'lapak_Yogya_catalog', 'lapak_yogya_bsd_ops_x', 'other'])
      expect(parseDbName(name)).toBeNull();
  });
});
