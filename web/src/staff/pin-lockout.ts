// Wrong PINs on this device: after MAX_TRIES in a row for one person, their PIN is refused for
// LOCK_MINUTES, so a PIN cannot be guessed at the counter. Kept in localStorage: a reload does
// not reset it. (Offline guessing against the stored hash is another matter: docs/security.md.)
export const MAX_TRIES = 5;
export const LOCK_MINUTES = 5;
const KEY = 'lapak.pinFailures';

interface Failures {
  count: number;
  lockedUntil: number;
}

function load(): Record<string, Failures> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, Failures>;
  } catch {
    return {};
  }
}

function save(all: Record<string, Failures>) {
  localStorage.setItem(KEY, JSON.stringify(all));
}

/** Milliseconds until this person's PIN is accepted again, 0 when it is. */
export function lockedFor(staffId: string, now = Date.now()): number {
  return Math.max(0, (load()[staffId]?.lockedUntil ?? 0) - now);
}

/** Records a wrong PIN; returns how many tries are left before the lock (0: locked now). */
export function recordFailure(staffId: string, now = Date.now()): number {
  const all = load();
  const f = all[staffId] ?? { count: 0, lockedUntil: 0 };
  f.count += 1;
  if (f.count >= MAX_TRIES) {
    f.count = 0;
    f.lockedUntil = now + LOCK_MINUTES * 60_000;
  }
  all[staffId] = f;
  save(all);
  return f.lockedUntil > now ? 0 : MAX_TRIES - f.count;
}

export function clearFailures(staffId: string) {
  const all = load();
  delete all[staffId];
  save(all);
}
