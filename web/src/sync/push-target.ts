// The store server as the target of a push replication. Before every batch the replicator
// asks the server which revisions it lacks (_revs_diff), one round trip on the way from a
// kiosk to the kitchen for each order. Two kinds of answer are known without asking:
// - a document written on this device and never sent is missing (its id is made here);
// - a revision the server named in its own changes feed is there (a kitchen display's push
//   would otherwise ask about every order its pull has just brought in).
// Everything else is still asked. Sending a revision the server already has is a no-op in
// CouchDB; PouchDB Server refuses it with a validation error instead (docs/couchdb-compat.md),
// so such a refusal of a revision sent unasked is checked with the server and dropped when
// the server has that very revision.
import type { ServerRevs } from './server-revs';

type Diff = PouchDB.Core.RevisionDiffOptions;
type DiffAnswer = PouchDB.Core.RevisionDiffResponse;
type Written = PouchDB.Core.Response | PouchDB.Core.Error;
type Doc = { _id: string; _rev?: string };

export interface PushTargetDb {
  revsDiff(diff: Diff): Promise<DiffAnswer>;
  bulkDocs(docs: Doc[] | { docs: Doc[]; new_edits?: boolean }, options?: PouchDB.Core.BulkDocsOptions): Promise<Written[]>;
}

export function pushTarget<T extends PushTargetDb>(db: T, known: ServerRevs): T {
  const revsDiff = db.revsDiff.bind(db);
  const bulkDocs = db.bulkDocs.bind(db);
  /** Revisions reported missing without asking, until their write has answered. */
  const unasked = new Set<string>();
  const key = (id: string, rev: string) => `${id}\n${rev}`;

  db.revsDiff = async (diff: Diff) => {
    const ask: Diff = {};
    const answer: DiffAnswer = {};
    for (const [id, revs] of Object.entries(diff)) {
      const missing = revs.filter((r) => known.lacks(id, r));
      for (const r of missing) unasked.add(key(id, r));
      if (missing.length) answer[id] = { missing };
      const unknown = revs.filter((r) => !known.has(id, r) && !known.lacks(id, r));
      if (unknown.length) ask[id] = unknown;
    }
    if (Object.keys(ask).length === 0) return answer;
    // The server leaves out what it has; ids are never in both halves.
    return { ...(await revsDiff(ask)), ...answer };
  };

  db.bulkDocs = (async (req: Doc[] | { docs: Doc[]; new_edits?: boolean }, options?: PouchDB.Core.BulkDocsOptions) => {
    const docs = Array.isArray(req) ? req : req.docs;
    for (const d of docs) if (d._rev) known.sending(d._id, d._rev);
    const sentUnasked = docs.filter((d) => d._rev && unasked.has(key(d._id, d._rev)));
    try {
      const res = await bulkDocs(req, options);
      const refused = res.filter((r) => 'error' in r && r.error && sentUnasked.some((d) => d._id === r.id));
      if (refused.length === 0) return res;
      const check: Diff = {};
      for (const d of sentUnasked) if (refused.some((r) => r.id === d._id)) check[d._id] = [d._rev!];
      const stillMissing = await revsDiff(check);
      return res.filter((r) => !(refused.includes(r) && r.id !== undefined && !(r.id in stillMissing)));
    } finally {
      for (const d of sentUnasked) unasked.delete(key(d._id, d._rev!));
    }
  }) as T['bulkDocs'];
  return db;
}
