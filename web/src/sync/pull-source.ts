// The store server as the source of a pull replication, asked less. PouchDB's replicator
// learns of a new document from the changes feed, then fetches it in a second round trip
// (_bulk_get) and, after every batch, reads the server's database info for its progress
// figures. On a kitchen display that is two more requests per order on the way to the
// screen. Here the changes feed carries the documents (include_docs, plain CouchDB API),
// a document's first revision is answered from it (its whole history is its own revision,
// so nothing is missing), and the info is reused for a while. Everything else, later
// revisions included, still goes to the server. The data still flows only through the
// replication into the local database: this changes where the replicator reads, not what
// it writes. The revisions the feed names are noted as the server's (see push-target.ts).
import type { ServerRevs } from './server-revs';

/** The parts of a remote PouchDB that the replicator calls and this replaces. */
export interface PullSourceDb {
  changes(options?: PouchDB.Core.ChangesOptions): PouchDB.Core.Changes<object>;
  bulkGet(options: PouchDB.Core.BulkGetOptions): Promise<PouchDB.Core.BulkGetResponse<object>>;
  info(): Promise<PouchDB.Core.DatabaseInfo>;
}

/** First revisions seen in the feed and not asked for yet (a device's own writes coming back are never asked for). */
const KEEP = 500;
/** How long the server's database info is reused: it only feeds the replication's progress figures. */
export const INFO_REUSE_MS = 10_000;

type FeedDoc = { _id: string; _rev: string; _deleted?: boolean };
type Answer = PouchDB.Core.BulkGetResponse<object>['results'][number];

export function pullSource<T extends PullSourceDb>(db: T, known?: ServerRevs, now: () => number = Date.now): T {
  const fromFeed = new Map<string, FeedDoc>();
  const key = (id: string, rev: string) => `${id}\n${rev}`;

  const changes = db.changes.bind(db);
  db.changes = (options?: PouchDB.Core.ChangesOptions) => {
    const feed = changes({ ...options, include_docs: true });
    feed.on('change', (c) => {
      known?.add(
        c.id,
        c.changes.map((x) => x.rev),
      );
      const doc = c.doc as FeedDoc | undefined;
      if (!doc || !doc._rev.startsWith('1-')) return;
      fromFeed.set(key(doc._id, doc._rev), doc);
      if (fromFeed.size > KEEP) fromFeed.delete(fromFeed.keys().next().value!);
    });
    return feed;
  };

  const bulkGet = db.bulkGet.bind(db);
  db.bulkGet = async (options: PouchDB.Core.BulkGetOptions) => {
    const answered: Answer[] = [];
    const rest: PouchDB.Core.BulkGetOptions['docs'] = [];
    for (const wanted of options.docs) {
      const doc = wanted.rev === undefined ? undefined : fromFeed.get(key(wanted.id, wanted.rev));
      if (!doc) {
        rest.push(wanted);
        continue;
      }
      fromFeed.delete(key(wanted.id, doc._rev));
      const ok = options.revs ? { ...doc, _revisions: { start: 1, ids: [doc._rev.slice(2)] } } : { ...doc };
      answered.push({ id: wanted.id, docs: [{ ok }] } as Answer);
    }
    if (rest.length === 0) return { results: answered };
    const fetched = await bulkGet({ ...options, docs: rest });
    return { results: [...answered, ...fetched.results] };
  };

  const info = db.info.bind(db);
  let lastInfo: { at: number; value: Promise<PouchDB.Core.DatabaseInfo> } | null = null;
  db.info = () => {
    if (!lastInfo || now() - lastInfo.at > INFO_REUSE_MS) {
      const value = info();
      lastInfo = { at: now(), value };
      // A failed read is not kept: the next call asks again.
      value.catch(() => {
        if (lastInfo?.value === value) lastInfo = null;
      });
    }
    return lastInfo.value;
  };
  return db;
}
