// What this device knows about the store server's revisions without asking it: those the
// server named in its own changes feed (it has them), and those written on this device in
// this page and not yet sent by any push attempt (it cannot have them: their ids are made
// here, UUIDv7). Bounded, and for the page's lifetime only: forgetting costs a question to
// the server, never a wrong answer.

const KEEP = 2000;

function bounded<K, V>(map: Map<K, V>, keep: number): void {
  if (map.size > keep) map.delete(map.keys().next().value!);
}

export class ServerRevs {
  private readonly has_ = new Map<string, Set<string>>();
  private readonly unsent = new Map<string, string>();

  constructor(private readonly keep = KEEP) {}

  /** The server listed these revisions of the document in its changes feed. */
  add(id: string, revs: string[]): void {
    const known = this.has_.get(id) ?? new Set<string>();
    for (const r of revs) known.add(r);
    // Re-inserted so that the oldest entry is the one dropped.
    this.has_.delete(id);
    this.has_.set(id, known);
    bounded(this.has_, this.keep);
  }

  has(id: string, rev: string): boolean {
    return this.has_.get(id)?.has(rev) ?? false;
  }

  /** A new document (first revision, id made on this device) was written locally. */
  written(id: string, rev: string): void {
    if (!rev.startsWith('1-')) return;
    this.unsent.set(`${id}\n${rev}`, rev);
    bounded(this.unsent, this.keep);
  }

  /** True while no push has tried to send this revision: the server cannot have it. */
  lacks(id: string, rev: string): boolean {
    return this.unsent.has(`${id}\n${rev}`);
  }

  /** A push is about to send it: from now on the server may have it (an answer can be lost). */
  sending(id: string, rev: string): void {
    this.unsent.delete(`${id}\n${rev}`);
  }
}
