// The device's clock may be far wrong (a tablet that lost its time); orders must still sort
// and report correctly. Every answer from the store server carries its time in the Date
// header; the app keeps the offset and stamps documents with the corrected time.
const KEY = 'lapak.clockOffsetMs';
let offsetMs = Number(localStorage.getItem(KEY) ?? 0) || 0;

/** Offsets under this are ignored: HTTP dates have one-second resolution. */
const TOLERANCE_MS = 2000;

export function observeServerDate(dateHeader: string | null, sentAt: number, receivedAt: number): void {
  const server = dateHeader ? Date.parse(dateHeader) : NaN;
  if (isNaN(server)) return;
  const local = (sentAt + receivedAt) / 2;
  const next = server + 500 - local; // the header is truncated to the second
  if (Math.abs(next - offsetMs) < TOLERANCE_MS) return;
  offsetMs = Math.abs(next) < TOLERANCE_MS ? 0 : Math.round(next);
  localStorage.setItem(KEY, String(offsetMs));
}

export function clockOffsetMs(): number {
  return offsetMs;
}

/** Now, as the store server would say it, in ISO-8601 UTC. */
export function nowIso(): string {
  return new Date(Date.now() + offsetMs).toISOString();
}
