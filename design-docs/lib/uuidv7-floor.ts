// Fact ids are `<type>:<UUIDv7>`, and a UUIDv7 begins with its creation time: a range of ids is a
// range of time, read with _all_docs and no index (the store agent's anti-entropy, HQ's ledger).

/** The first key of UUIDv7 ids made at `ms`: 48 bits of milliseconds, as the uuid package writes them. */
export function uuidv7Floor(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}`;
}
