// Store-local days and hours from UTC hours. Report views key by UTC hour ("YYYY-MM-DDTHH");
// a store's zone is a whole number of hours from UTC in Indonesia, so each UTC hour is
// exactly one local hour.

function parts(instant: Date, timeZone: string): Record<string, string> {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  return Object.fromEntries(fmt.formatToParts(instant).map((p) => [p.type, p.value]));
}

/** The store-local date (YYYY-MM-DD) and hour (HH) of a UTC hour key. */
export function localHour(utcHour: string, timeZone: string): { date: string; hour: string } {
  const p = parts(new Date(`${utcHour}:00:00Z`), timeZone);
  return { date: `${p.year}-${p.month}-${p.day}`, hour: p.hour! };
}

/** The store-local date of an instant. */
export function localDate(instant: Date, timeZone: string): string {
  const p = parts(instant, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Minutes the zone is ahead of UTC at that instant. */
function offsetMinutes(instant: Date, timeZone: string): number {
  const p = parts(instant, timeZone);
  const asUtc = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!);
  return Math.round((asUtc - Math.floor(instant.getTime() / 60000) * 60000) / 60000);
}

/** The UTC instant of local midnight starting `date` in the zone. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const guess = new Date(`${date}T00:00:00Z`);
  return new Date(guess.getTime() - offsetMinutes(guess, timeZone) * 60000);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * UTC hour keys bounding days `from`..`to` (inclusive), for view startkey/endkey: local days, or
 * business days that end at `endsHour` local time (accounting.ts `businessDay`).
 */
export function utcHourRange(from: string, to: string, timeZone: string, endsHour = 0): { start: string; end: string } {
  const start = new Date(startOfLocalDay(from, timeZone).getTime() + endsHour * 3600_000);
  const end = new Date(startOfLocalDay(addDays(to, 1), timeZone).getTime() + (endsHour - 1) * 3600_000);
  return { start: start.toISOString().slice(0, 13), end: end.toISOString().slice(0, 13) };
}
