// PouchDB on the device. Every write goes to a local database first; replication with the
// store server runs behind it. The remote side authenticates each request with the
// terminal's device secret (basic auth over the store's HTTPS origin), so sync survives
// session expiry and needs no cookie.
import PouchDB from 'pouchdb-browser';
import find from 'pouchdb-find';

PouchDB.plugin(find);

export type Db = PouchDB.Database;

export interface RemoteAuth {
  username: string;
  password: string;
}

/** Local databases are named per store so that a re-paired device never mixes stores. */
export function localDb(name: string): Db {
  const db = new PouchDB(`lapak_${name}`, { auto_compaction: true });
  // Live change feeds of several stores and replications listen on one database.
  (db as unknown as { setMaxListeners?: (n: number) => void }).setMaxListeners?.(50);
  return db;
}

export function remoteDb(dbName: string, auth: RemoteAuth | null, origin = location.origin): Db {
  const header = auth ? 'Basic ' + btoa(`${auth.username}:${auth.password}`) : null;
  return new PouchDB(`${origin}/db/${dbName}`, {
    skip_setup: true,
    fetch: (url: string | Request, opts?: RequestInit) => {
      const headers = new Headers(opts?.headers);
      if (header) headers.set('Authorization', header);
      return PouchDB.fetch(url, { ...opts, headers, credentials: 'omit' });
    },
  } as PouchDB.Configuration.RemoteDatabaseConfiguration);
}

export { PouchDB };
