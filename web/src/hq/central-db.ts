// HQ works on central's databases directly over HTTP: it is an office tool used online, and
// its CouchDB session cookie (same origin: the gateway serves the app and /db) is the only
// credential it holds. Nothing HQ reads is kept on the device.
import { PouchDB, type Db } from '../db/pouch';

const open = new Map<string, Db>();

export function centralDb(name: string): Db {
  let db = open.get(name);
  if (!db) {
    db = new PouchDB(`${location.origin}/db/${name}`, {
      skip_setup: true,
      fetch: (url: string | Request, opts?: RequestInit) => PouchDB.fetch(url, { ...opts, credentials: 'same-origin' }),
    } as PouchDB.Configuration.RemoteDatabaseConfiguration);
    open.set(name, db);
  }
  return db;
}

/** Every document whose id starts with `prefix`. */
export async function docsWithPrefix<T>(db: Db, prefix: string): Promise<T[]> {
  const res = await db.allDocs({ include_docs: true, startkey: prefix, endkey: `${prefix}\ufff0` });
  return res.rows.flatMap((r) => (r.doc ? [r.doc as unknown as T] : []));
}

/** Documents whose id is `<prefix><ISO time>:…`, from `since` on. */
export async function docsSince<T>(db: Db, prefix: string, since: string): Promise<T[]> {
  const res = await db.allDocs({ include_docs: true, startkey: `${prefix}${since}`, endkey: `${prefix}\ufff0` });
  return res.rows.flatMap((r) => (r.doc ? [r.doc as unknown as T] : []));
}

/** CouchDB's reason for a refusal (validate functions explain themselves), or the error's message. */
export function reasonOf(e: unknown): string {
  const err = e as { reason?: string; message?: string; status?: number };
  return err.reason ?? err.message ?? String(e);
}
