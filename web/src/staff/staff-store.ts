// Who works this cashier terminal now. People and their PIN hashes come from the store directory
// (HQ and the store manager manage them; they replicate down), so signing in works offline. The
// terminal locks itself after the store's idle time; the next person signs in with their PIN.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { pinMatches } from '../../../design-docs/lib/pin';
import { APPROVER_ROLES as APPROVERS, type Staff, type StaffRole } from '../../../design-docs/lib/types';
import { terminalDbs } from '../db/terminal-dbs';
import type { TerminalConfig } from '../device/terminal-config';
import { clearFailures, lockedFor, recordFailure } from './pin-lockout';

export interface Person {
  id: string;
  name: string;
  role: StaffRole;
}

export type PinResult = { ok: true; person: Person } | { ok: false; triesLeft: number; lockedMs: number };

const SIGNED_IN_KEY = 'lapak.signedIn';

export const useStaff = defineStore('staff', () => {
  const people = shallowRef<Staff[]>([]);
  const signedIn = ref<Person | null>(JSON.parse(sessionStorage.getItem(SIGNED_IN_KEY) ?? 'null') as Person | null);
  let started = false;

  async function load(config: TerminalConfig) {
    const all = await terminalDbs(config).directory.allDocs({ include_docs: true, startkey: 'staff:', endkey: 'staff:\ufff0' });
    people.value = all.rows
      .map((r) => r.doc as unknown as Staff)
      .filter((d) => d && d.type === 'staff' && d.tenant === config.tenant && d.store === config.store);
    // Someone HQ deactivated cannot stay signed in.
    if (signedIn.value && !active.value.some((p) => p._id === signedIn.value!.id)) lock();
  }

  function start(config: TerminalConfig) {
    void load(config);
    if (started) return;
    started = true;
    terminalDbs(config)
      .directory.changes({ since: 'now', live: true })
      .on('change', (ch) => {
        if (ch.id.startsWith('staff:')) void load(config);
      });
  }

  const active = computed(() => people.value.filter((p) => p.active).sort((a, b) => a.name.localeCompare(b.name)));

  async function check(staffId: string, pin: string): Promise<PinResult> {
    const lockedMs = lockedFor(staffId);
    if (lockedMs > 0) return { ok: false, triesLeft: 0, lockedMs };
    const doc = active.value.find((p) => p._id === staffId);
    if (doc && (await pinMatches(pin, doc.pin))) {
      clearFailures(staffId);
      return { ok: true, person: { id: doc._id, name: doc.name, role: doc.role } };
    }
    const triesLeft = recordFailure(staffId);
    return { ok: false, triesLeft, lockedMs: lockedFor(staffId) };
  }

  async function signIn(staffId: string, pin: string): Promise<PinResult> {
    const r = await check(staffId, pin);
    if (r.ok) {
      signedIn.value = r.person;
      sessionStorage.setItem(SIGNED_IN_KEY, JSON.stringify(r.person));
    }
    return r;
  }

  function lock() {
    signedIn.value = null;
    sessionStorage.removeItem(SIGNED_IN_KEY);
  }

  /** A supervisor's or manager's PIN, asked on the spot; a cashier's PIN approves nothing. */
  async function approve(staffId: string, pin: string): Promise<PinResult> {
    const doc = active.value.find((p) => p._id === staffId);
    if (!doc || !APPROVERS.includes(doc.role)) return { ok: false, triesLeft: 0, lockedMs: 0 };
    return check(staffId, pin);
  }

  const approvers = computed(() => active.value.filter((p) => APPROVERS.includes(p.role)));
  const canApprove = computed(() => !!signedIn.value && APPROVERS.includes(signedIn.value.role));

  return { people, active, approvers, signedIn, canApprove, start, signIn, lock, approve };
});
