// Order numbers a person can call out: the terminal's own prefix and a local sequence
// (A1-0042). Unique in the store without any coordination, because no two terminals share
// a prefix (provisioning checks) and each terminal counts on its own (seed scenario 4).
import type { Db } from '../db/pouch';

const SEQ_DOC = '_local/order-sequence';

export function formatOrderNumber(prefix: string, seq: number): string {
  return `${prefix}-${String(seq).padStart(4, '0')}`;
}

export function sequenceOf(number: string, prefix: string): number {
  const m = new RegExp(`^${prefix}-(\\d+)$`).exec(number);
  return m ? Number(m[1]) : 0;
}

/**
 * The next number for this terminal. The counter lives in a _local document (never
 * replicated); when it is missing (a re-paired device) it starts after the highest number
 * this terminal already has in the store's orders.
 */
export async function nextOrderNumber(db: Db, prefix: string, terminal: string): Promise<string> {
  // Two tabs of the same terminal share this database: the loser of a race on the counter retries.
  for (let attempt = 0; ; attempt++) {
    let current: { _id: string; _rev?: string; seq: number };
    try {
      current = await db.get<{ seq: number }>(SEQ_DOC);
    } catch {
      const mine = await db.find({ selector: { type: 'order', terminal }, fields: ['number'], limit: 100000 });
      const highest = mine.docs.reduce((max, d) => Math.max(max, sequenceOf(String((d as { number?: string }).number), prefix)), 0);
      current = { _id: SEQ_DOC, seq: highest };
    }
    const seq = current.seq + 1;
    try {
      await db.put({ ...current, seq });
      return formatOrderNumber(prefix, seq);
    } catch (e) {
      if ((e as { status?: number }).status !== 409 || attempt >= 20) throw e;
    }
  }
}
