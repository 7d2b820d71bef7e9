// What the connector knows about each payment request of the store: the request itself while
// it is open, and which of its outcomes exist. Filled from the ops database's changes and from
// what the connector writes; the database stays the truth (deterministic ids), this is its index.
import type { PaymentRequest } from '../../design-docs/lib/types';
import { parseOutcomeId, type OutcomeDoc, type UpdateStatus } from './outcome-docs';

export type Final = 'paid' | 'failed' | 'expired';

interface Entry {
  request: PaymentRequest | null;
  pending: boolean;
  final: Final | null;
  /** An outcome decided but not yet stored (the store server was down): written before anything else. */
  unwritten: OutcomeDoc | null;
  /** The store refused to store an outcome (validation): left alone until a restart, reported once. */
  stuck: boolean;
}

export class Book {
  private readonly entries = new Map<string, Entry>();

  private entry(key: string): Entry {
    let e = this.entries.get(key);
    if (!e) {
      e = { request: null, pending: false, final: null, unwritten: null, stuck: false };
      this.entries.set(key, e);
    }
    return e;
  }

  /** Notes an outcome document that exists in the database (read from changes or a lookup). Returns whether it was one. */
  noteOutcomeId(id: string): boolean {
    const parsed = parseOutcomeId(id);
    if (!parsed) return false;
    this.mark(parsed.key, parsed.status);
    return true;
  }

  mark(key: string, status: UpdateStatus | 'paid'): void {
    const e = this.entry(key);
    if (status === 'pending') e.pending = true;
    // A payment wins over any other final outcome: it is money taken.
    else if (status === 'paid') e.final = 'paid';
    else if (e.final === null) e.final = status;
    if (e.unwritten && outcomeStatus(e.unwritten) === status) e.unwritten = null;
    // An answered request is not needed any more: only its key stays, so a year of requests costs little.
    if (e.final) e.request = null;
  }

  setRequest(key: string, request: PaymentRequest): void {
    const e = this.entry(key);
    if (!e.final) e.request = request;
  }

  request(key: string): PaymentRequest | null {
    return this.entries.get(key)?.request ?? null;
  }

  has(key: string): boolean {
    return this.entries.get(key)?.request != null || this.entries.get(key)?.final != null;
  }

  isPending(key: string): boolean {
    return this.entries.get(key)?.pending ?? false;
  }

  finalOf(key: string): Final | null {
    return this.entries.get(key)?.final ?? null;
  }

  unwritten(key: string): OutcomeDoc | null {
    return this.entries.get(key)?.unwritten ?? null;
  }

  setUnwritten(key: string, doc: OutcomeDoc | null): void {
    this.entry(key).unwritten = doc;
  }

  setStuck(key: string): void {
    this.entry(key).stuck = true;
  }

  /** Requests that still need the connector: not answered for good, not stuck. */
  open(): string[] {
    const out: string[] = [];
    for (const [key, e] of this.entries) if (e.request && !e.final && !e.stuck) out.push(key);
    return out;
  }
}

export function outcomeStatus(doc: OutcomeDoc): UpdateStatus | 'paid' {
  return doc.type === 'payment' ? 'paid' : doc.status;
}
