// The gateway answers a flood of failed logins with 429 {error:'too_many_requests', reason,
// retry_after} and a Retry-After header (seconds). Pairing logs in with the pairing code, so
// the wizard must tell a lockout apart from a wrong code: the code is not spent, the
// technician only has to wait.

/** When no usable wait is given, say this much rather than nothing. */
export const DEFAULT_LOCKOUT_SECONDS = 60;
/** A wait longer than a day is nonsense from the gateway; cap what we show. */
const MAX_LOCKOUT_SECONDS = 24 * 60 * 60;

function seconds(value: unknown, nowMs: number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.ceil(value) : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  // Retry-After may also be an HTTP date (RFC 9110 §10.2.3).
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** Seconds to wait after a 429: the Retry-After header first, then the body's retry_after, else a default. */
export function retryAfterSeconds(header: string | null, body: unknown, nowMs = Date.now()): number {
  const fromHeader = seconds(header, nowMs);
  const fromBody = body && typeof body === 'object' ? seconds((body as { retry_after?: unknown }).retry_after, nowMs) : null;
  const s = fromHeader ?? fromBody ?? DEFAULT_LOCKOUT_SECONDS;
  return Math.min(Math.max(s, 1), MAX_LOCKOUT_SECONDS);
}

/** Whole minutes to show for a wait (at least 1: "wait 0 minutes" reads as "go ahead"). */
export function waitMinutes(secondsToWait: number): number {
  return Math.max(1, Math.ceil(secondsToWait / 60));
}

/** Reads the wait from a 429 response; a body that is not JSON is fine. */
export async function lockoutOf(res: Response, nowMs = Date.now()): Promise<number> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  return retryAfterSeconds(res.headers.get('retry-after'), body, nowMs);
}
