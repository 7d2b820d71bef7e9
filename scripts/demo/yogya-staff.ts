// The demo store's people and their PINs (demo only: a real store's PINs are set by HQ or the
// store manager and known only to their owners).
import { hashPin } from '../../design-docs/lib/pin';
import { SCHEMA_VERSION, type Staff, type StaffRole } from '../../design-docs/lib/types';

export const DEMO_STAFF: { key: string; name: string; role: StaffRole; pin: string }[] = [
  { key: 'sari', name: 'Sari', role: 'cashier', pin: '1111' },
  { key: 'budi', name: 'Budi', role: 'supervisor', pin: '2222' },
  { key: 'wati', name: 'Wati', role: 'manager', pin: '3333' },
];

export async function demoStaff(tenant: string, store: string, now: string): Promise<Staff[]> {
  return Promise.all(
    DEMO_STAFF.map(async (p) => ({
      _id: `staff:${p.key}`,
      type: 'staff' as const,
      schema: SCHEMA_VERSION,
      tenant,
      store,
      name: p.name,
      role: p.role,
      pin: await hashPin(p.pin),
      active: true,
      updated_at: now,
    })),
  );
}
