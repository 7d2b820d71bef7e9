// The store's public directory: the few facts the setup wizard and the store front page need
// before anyone logs in, projected from the members-only directory. Pure functions, shared by
// the store server's projection (scripts/lib/public-directory.ts) and the web app.
import {
  SCHEMA_VERSION,
  type Binding,
  type Heartbeat,
  type PublicBrand,
  type PublicDoc,
  type PublicStore,
  type PublicTerminal,
  type StoreBrand,
  type StoreDoc,
  type Terminal,
} from './types';

/** An ISO time cut to the minute: when a terminal was last seen, not to the second. */
export function toMinute(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t - (t % 60_000)).toISOString();
}

/**
 * What the public directory should hold for these directory documents. Only named fields
 * are copied, so nothing added to a directory document later leaks by accident.
 */
export function projectPublic(docs: Record<string, unknown>[]): PublicDoc[] {
  const byId = new Map(docs.map((d) => [String(d._id), d]));
  const out: PublicDoc[] = [];
  for (const d of docs) {
    if (d._deleted === true) continue;
    if (d.type === 'store' && d._id === 'store') {
      const s = d as unknown as StoreDoc;
      const doc: PublicStore = {
        _id: 'store',
        type: 'public_store',
        schema: SCHEMA_VERSION,
        tenant: s.tenant,
        store: s.store,
        name: s.name,
        tenant_name: s.tenant_name,
      };
      out.push(doc);
    } else if (d.type === 'brand' && d.store !== undefined) {
      const b = d as unknown as StoreBrand;
      const doc: PublicBrand = {
        _id: `brand:${b.code}`,
        type: 'public_brand',
        schema: SCHEMA_VERSION,
        tenant: b.tenant,
        store: b.store,
        code: b.code,
        name: b.name,
        active: b.active === true,
      };
      out.push(doc);
    } else if (d.type === 'terminal') {
      const t = d as unknown as Terminal;
      const binding = byId.get(`binding:${t.code}`) as unknown as Binding | undefined;
      const heartbeat = byId.get(`heartbeat:${t.code}`) as unknown as Heartbeat | undefined;
      const bound = !!binding && binding.type === 'binding' && (binding as { _deleted?: boolean })._deleted !== true;
      const doc: PublicTerminal = {
        _id: `terminal:${t.code}`,
        type: 'public_terminal',
        schema: SCHEMA_VERSION,
        tenant: t.tenant,
        store: t.store,
        code: t.code,
        name: t.name,
        terminal_type: t.terminal_type,
        brand: t.brand,
        active: t.active === true,
        assigned: bound,
        assigned_at: bound ? binding.assigned_at : null,
        device_hash: null,
        last_seen: heartbeat && typeof heartbeat.last_seen === 'string' ? toMinute(heartbeat.last_seen) : null,
      };
      out.push(doc);
    }
  }
  return out;
}

/** The text hashed for a device: salted with the terminal, so one device's hashes do not link its terminals. */
function hashInput(tenant: string, store: string, terminal: string, deviceId: string): string {
  return `lapak-device:${tenant}:${store}:${terminal}:${deviceId}`;
}

/**
 * SHA-256 (hex) of a bound device, as stored in `device_hash`; null where WebCrypto's digest
 * is unavailable (a browser page not served over HTTPS or localhost).
 */
export async function deviceHash(tenant: string, store: string, terminal: string, deviceId: string): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(hashInput(tenant, store, terminal, deviceId)));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** projectPublic, with each bound terminal's device hash filled in. */
export async function projectPublicWithHashes(docs: Record<string, unknown>[]): Promise<PublicDoc[]> {
  const out = projectPublic(docs);
  const byId = new Map(docs.map((d) => [String(d._id), d]));
  for (const doc of out) {
    if (doc.type !== 'public_terminal' || !doc.assigned) continue;
    const binding = byId.get(`binding:${doc.code}`);
    if (binding && typeof binding.device_id === 'string')
      doc.device_hash = await deviceHash(doc.tenant, doc.store, doc.code, binding.device_id);
  }
  return out;
}
