// The gateway's whole policy, as two tables: which requests Lapak's clients make (ROUTES),
// and which kinds of caller may write which database (WRITERS). Everything else is refused
// before it reaches the database server. Server admins (the store agent, provisioning, the
// HQ provisioning page with an admin's password) are not limited by these tables; every
// other caller is. Membership (who may read a database at all) is not restated here: it is
// the security plan of scripts/lib/security-plan.ts, the same objects provisioning writes as
// `_security`, evaluated by the gateway so that a refusal never reveals whether a database
// exists, and enforced again by CouchDB itself.
//
// Adding a route means adding the hostile tests that attack it (couch/hostile/gateway.int.test.ts).
import type { CallerKind } from './callers';
import type { DbKind } from '../../design-docs/lib/names';

/**
 * What a route needs:
 * - anyone: no login (the server's welcome, sessions, Fauxton's static files);
 * - read: membership of the database;
 * - write: membership and a writer kind of WRITERS for the database;
 * - own-account: the caller's own `_users` document (users-guard.ts: only the password may change);
 * - checkpoint: the store's replication account at central, in its own store's databases
 *   (CouchDB's replicator keeps checkpoints on both ends; devices keep theirs on the device);
 * - query: HQ's Mango queries in its own tenant's databases, indexed ones only (find-guard.ts).
 */
export type Need = 'anyone' | 'read' | 'write' | 'own-account' | 'checkpoint' | 'query';

/**
 * Path patterns, one token per segment: a literal, `{db}` a Lapak database, `{doc}` a document
 * id that does not start with "_", `{any}` any one segment, `**` the rest of the path.
 */
export interface Route {
  methods: string[];
  path: string[];
  need: Need;
  /** Largest request body a non-admin may send. */
  maxBody: number;
  /** Which gateway serves it (both unless said). */
  site?: 'store' | 'central';
}

const KiB = 1024;
const MiB = 1024 * KiB;

function route(methods: string, path: string, need: Need, maxBody = 0, site?: 'store' | 'central'): Route {
  return { methods: methods.split(' '), path: path === '/' ? [] : path.slice(1).split('/'), need, maxBody, site };
}

// prettier-ignore
export const ROUTES: Route[] = [
  //     methods            path                                 need            body       who calls it
  route('GET HEAD',        '/',                                  'anyone'),                // every client: is the server there
  route('GET HEAD',        '/_up',                               'anyone'),
  route('GET POST DELETE', '/_session',                          'anyone',       4 * KiB), // log in (throttled), out, who am I
  route('GET HEAD',        '/_utils/**',                         'anyone'),                // Fauxton's static files (fauxton.ts)
  route('GET HEAD PUT',    '/_users/{doc}',                      'own-account',  16 * KiB),// pairing: the device's secret replaces the code
  route('GET HEAD',        '/{db}',                              'read'),                  // replication: database info
  route('GET POST',        '/{db}/_changes',                     'read',         256 * KiB),
  route('GET POST',        '/{db}/_all_docs',                    'read',         256 * KiB),
  route('POST',            '/{db}/_bulk_get',                    'read',         1 * MiB),
  route('POST',            '/{db}/_revs_diff',                   'write',        1 * MiB),
  route('POST',            '/{db}/_bulk_docs',                   'write',        4 * MiB),
  route('GET HEAD',        '/{db}/_security',                    'read'),                  // Fauxton's permissions tab (read only)
  route('GET HEAD',        '/{db}/_design/{any}',                'read'),                  // Fauxton shows design documents
  route('GET HEAD',        '/{db}/_design/{any}/_view/{any}',    'read'),                  // reports, registry views
  route('GET HEAD',        '/{db}/_local/{any}',                 'checkpoint',   0,        'central'),
  route('PUT',             '/{db}/_local/{any}',                 'checkpoint',   64 * KiB, 'central'),
  route('POST',            '/{db}/_ensure_full_commit',          'checkpoint',   1 * KiB,  'central'), // CouchDB's replicator, before each checkpoint
  route('POST',            '/{db}/_find',                        'query',        16 * KiB),// HQ reports, Fauxton
  route('GET',             '/{db}/_index',                       'query'),                 // Fauxton lists indexes
  route('GET HEAD',        '/{db}/{doc}',                        'read'),
  route('PUT DELETE',      '/{db}/{doc}',                        'write',        256 * KiB),
  route('GET HEAD',        '/{db}/{doc}/{any}',                  'read'),                  // product photos
  route('PUT',             '/{db}/{doc}/{any}',                  'write',        8 * MiB), // HQ uploads a product photo
];

/** Who may use the write routes of each kind of database (validate_doc_update then decides each document). */
// prettier-ignore
export const WRITERS: Record<DbKind, CallerKind[]> = {
  catalog:   ['hq'],
  directory: ['terminal', 'board', 'storeadmin', 'hq', 'replicator'],
  ops:       ['terminal', 'storeadmin', 'hq', 'replicator'],
  control:   ['storeadmin', 'hq', 'replicator'],
  hq:        ['hq'],
  public:    [], // projected by the store agent, a server admin
};

/** Whose Mango queries are served, and whose checkpoints are kept at central. */
export const QUERIERS: CallerKind[] = ['hq'];
export const CHECKPOINTERS: CallerKind[] = ['replicator'];

/** Request bodies of server admins are streamed unread; this only stops a runaway upload. */
export const ADMIN_MAX_BODY = 256 * MiB;
