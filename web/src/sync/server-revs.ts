// Revisions this device knows the store server has, because the server itself named them in
// its changes feed. A bounded memory of the latest ones, kept for the page's lifetime only:
// forgetting one costs a question to the server, never a wrong answer.

const KEEP = 2000;

export class ServerRevs {
  private readonly byId = new Map<string, Set<string>>();

  constructor(private readonly keep = KEEP) {}

  add(id: string, revs: string[]): void {
    const known = this.byId.get(id) ?? new Set<string>();
    for (const r of revs) known.add(r);
    // Re-inserted so that the oldest entry is the one dropped.
    this.byId.delete(id);
    this.byId.set(id, known);
    if (this.byId.size > this.keep) this.byId.delete(this.byId.keys().next().value!);
  }

  has(id: string, rev: string): boolean {
    return this.byId.get(id)?.has(rev) ?? false;
  }
}
