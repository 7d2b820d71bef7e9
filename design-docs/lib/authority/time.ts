// Server authority over time: a written-at field may not lie in the server's future beyond
// the clock skew, and a terminal may not date a fact absurdly far back. Server-only: the
// device's own clock is what is in doubt (it corrects from the server's Date header).
import { TIME, WRITTEN_AT } from '../limits';
import { forbid } from './errors';

export interface TimeBounds {
  /** How far ahead of the server's clock a written-at time may be. */
  futureSkewMs: number;
  /** How far back a written-at time may be, or null for no bound. */
  pastMs: number | null;
}

export const TERMINAL_TIME: TimeBounds = { futureSkewMs: TIME.futureSkewMs, pastMs: TIME.terminalPastMs };
export const ADMIN_TIME: TimeBounds = { futureSkewMs: TIME.futureSkewMs, pastMs: null };
export const RELAYED_TIME: TimeBounds = { futureSkewMs: TIME.relayedFutureSkewMs, pastMs: null };

/** Refuses a document whose written-at fields are outside the bounds, judged by this server's clock. */
export function requireTimes(doc: Record<string, unknown>, bounds: TimeBounds, now: number = Date.now()): void {
  const fields = WRITTEN_AT[String(doc.type)] || [];
  for (const field of fields) {
    const value = doc[field];
    if (typeof value !== 'string') continue; // structure already required it where it is required
    const at = Date.parse(value);
    if (at > now + bounds.futureSkewMs)
      forbid(
        `${field} ${value} is in the future (server time ${new Date(now).toISOString()}, allowed clock skew ${bounds.futureSkewMs / 60000} minutes). Set the device's clock, or let the app correct it from the server.`,
      );
    if (bounds.pastMs !== null && at < now - bounds.pastMs)
      forbid(
        `${field} ${value} is more than ${Math.round(bounds.pastMs / 86400000)} days before the server's time ${new Date(now).toISOString()}; a terminal records facts as they happen.`,
      );
  }
}
