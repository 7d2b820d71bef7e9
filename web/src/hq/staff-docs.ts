// The staff documents HQ writes into a store's directory. Pure (no database), so that what a
// form produces can be checked against structure.ts in a unit test. The PIN goes in as typed
// and comes out only as its PBKDF2 hash: nothing here keeps it.
import { v7 as uuidv7 } from 'uuid';
import { hashPin, PIN_PATTERN } from '../../../design-docs/lib/pin';
import { SCHEMA_VERSION, type Staff, type StaffRole } from '../../../design-docs/lib/types';

export interface NewStaff {
  name: string;
  role: StaffRole;
  pin: string;
}

/** What is wrong with a PIN typed twice, as the message key that says so, or null. */
export function pinProblem(pin: string, again: string): 'hqStaffPinFormat' | 'hqStaffPinMismatch' | null {
  if (!PIN_PATTERN.test(pin)) return 'hqStaffPinFormat';
  if (pin !== again) return 'hqStaffPinMismatch';
  return null;
}

/** Spaces typed around or doubled inside a name would make two people look alike at the terminal. */
export function cleanName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

/** Whether `name` is already taken by someone at the store (active or not), ignoring case. */
export function nameTaken(people: readonly Staff[], name: string): boolean {
  const wanted = cleanName(name).toLocaleLowerCase('id');
  return people.some((p) => cleanName(p.name).toLocaleLowerCase('id') === wanted);
}

export async function newStaffDoc(tenant: string, store: string, input: NewStaff, now = new Date().toISOString()): Promise<Staff> {
  return {
    // A random key, not the name: a person keeps their id (and their shifts and approvals) when renamed.
    _id: `staff:${uuidv7()}`,
    type: 'staff',
    schema: SCHEMA_VERSION,
    tenant,
    store,
    name: cleanName(input.name),
    role: input.role,
    pin: await hashPin(input.pin),
    active: true,
    updated_at: now,
  };
}

/** The same person with a new PIN (fresh salt); `_rev` is kept so that the save replaces what was read. */
export async function withNewPin(doc: Staff, pin: string, now = new Date().toISOString()): Promise<Staff> {
  return { ...doc, pin: await hashPin(pin), updated_at: now };
}

export function withActive(doc: Staff, active: boolean, now = new Date().toISOString()): Staff {
  return { ...doc, active, updated_at: now };
}

/** By name as people read it (case and accents aside), then by id so that equal names keep their order. */
export function byName(a: Staff, b: Staff): number {
  return a.name.localeCompare(b.name, 'id', { sensitivity: 'base' }) || a._id.localeCompare(b._id);
}
