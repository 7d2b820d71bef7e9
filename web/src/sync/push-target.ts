// The store server as the target of a push replication. Before every batch the replicator
// asks the server which revisions it lacks (_revs_diff). A display that only reads, such as
// a kitchen display, pushes nothing of its own, yet each document its pull writes locally
// comes round in its push and costs that question: one more request per order to a busy
// store server. Revisions the server named in its own changes feed are answered here; the
// rest, among them everything written on this device, are still asked.
import type { ServerRevs } from './server-revs';

export interface PushTargetDb {
  revsDiff(diff: PouchDB.Core.RevisionDiffOptions): Promise<PouchDB.Core.RevisionDiffResponse>;
}

export function pushTarget<T extends PushTargetDb>(db: T, known: ServerRevs): T {
  const revsDiff = db.revsDiff.bind(db);
  db.revsDiff = async (diff: PouchDB.Core.RevisionDiffOptions) => {
    const ask: PouchDB.Core.RevisionDiffOptions = {};
    for (const [id, revs] of Object.entries(diff)) {
      const unknown = revs.filter((r) => !known.has(id, r));
      if (unknown.length) ask[id] = unknown;
    }
    // The server leaves out what it has: an empty answer is what it would have said.
    return Object.keys(ask).length ? revsDiff(ask) : {};
  };
  return db;
}
