// Pairing a device with a terminal, as the seed's validation endpoint did, but enforced by
// CouchDB: the one-time pairing code is the terminal account's password; the device logs
// in with it, replaces it with a secret only the device knows, and records its binding.
// Scenario 1 (first setup), 3 (bound elsewhere) and 4 (unknown brand) end here; scenario 2
// (restart) is revalidate().
import { dbName, userDocId, userName } from '../../../design-docs/lib/names';
import { SCHEMA_VERSION, type Binding, type Terminal } from '../../../design-docs/lib/types';
import { nowIso } from '../device/clock';
import { deviceInfo } from '../device/device-info';
import type { TerminalConfig } from '../device/terminal-config';
import { fetchDirectory, StoreUnreachable, type Directory, type Site } from './directory';

export type PairingResult =
  | { ok: true; config: TerminalConfig }
  | { ok: false; error: 'brand_not_found'; brands: { code: string; name: string }[] }
  | { ok: false; error: 'terminal_not_found'; terminals: { code: string; name: string; type: string }[] }
  | { ok: false; error: 'terminal_inactive' }
  | { ok: false; error: 'already_bound'; binding: Binding; lastSeen: string | null }
  | { ok: false; error: 'wrong_code' }
  | { ok: false; error: 'unreachable'; detail: string };

export interface PairingRequest {
  brand: string;
  terminal: string;
  code: string;
  paperWidth: 58 | 80;
  deviceId: string;
}

function basic(user: string, password: string): string {
  return 'Basic ' + btoa(`${user}:${password}`);
}

async function request(site: Site, method: string, path: string, auth: string, body?: unknown): Promise<Response> {
  try {
    return await fetch(`${site.db}/${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    throw new StoreUnreachable((e as Error).message);
  }
}

function newSecret(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The registry checks, done before any login so that each problem gets its own message. */
export function checkRegistry(
  dir: Directory,
  brand: string,
  terminal: string,
  deviceId: string,
): Exclude<PairingResult, { ok: true }> | Terminal {
  const brands = dir.brands.filter((b) => b.active);
  if (!brands.some((b) => b.code === brand))
    return { ok: false, error: 'brand_not_found', brands: brands.map((b) => ({ code: b.code, name: b.name })) };
  const term = dir.terminals.find((t) => t.code === terminal && t.brand === brand);
  if (!term)
    return {
      ok: false,
      error: 'terminal_not_found',
      terminals: dir.terminals.filter((t) => t.brand === brand).map((t) => ({ code: t.code, name: t.name, type: t.terminal_type })),
    };
  if (!term.active) return { ok: false, error: 'terminal_inactive' };
  const binding = dir.bindings[terminal];
  if (binding && binding.device_id !== deviceId)
    return { ok: false, error: 'already_bound', binding, lastSeen: dir.heartbeats[terminal]?.last_seen ?? null };
  return term;
}

export async function pairTerminal(site: Site, req: PairingRequest): Promise<PairingResult> {
  try {
    const dir = await fetchDirectory(site);
    const term = checkRegistry(dir, req.brand, req.terminal, req.deviceId);
    if ('ok' in term) return term;
    const name = userName.terminal(site.tenant, site.store, req.terminal);
    const userPath = `_users/${encodeURIComponent(userDocId(name))}`;
    const own = await request(site, 'GET', userPath, basic(name, req.code));
    if (own.status === 401) return { ok: false, error: 'wrong_code' };
    if (!own.ok) return { ok: false, error: 'unreachable', detail: `HTTP ${own.status}` };
    const secret = newSecret();
    const changed = await request(site, 'PUT', userPath, basic(name, req.code), { ...(await own.json()), password: secret });
    if (changed.status === 409 || changed.status === 401) {
      // Another device used the same code a moment ago.
      const again = checkRegistry(await fetchDirectory(site), req.brand, req.terminal, req.deviceId);
      return 'ok' in again ? again : { ok: false, error: 'wrong_code' };
    }
    if (!changed.ok) return { ok: false, error: 'unreachable', detail: `HTTP ${changed.status}` };
    const assignedAt = nowIso();
    const binding: Binding = {
      _id: `binding:${req.terminal}`,
      type: 'binding',
      schema: SCHEMA_VERSION,
      tenant: site.tenant,
      store: site.store,
      terminal: req.terminal,
      device_id: req.deviceId,
      device: deviceInfo(),
      assigned_at: assignedAt,
    };
    const old = dir.bindings[req.terminal];
    const bound = await request(
      site,
      'PUT',
      `${dbName.directory(site.tenant, site.store)}/${encodeURIComponent(binding._id)}`,
      basic(name, secret),
      {
        ...binding,
        ...(old ? { _rev: old._rev } : {}),
      },
    );
    if (!bound.ok) return { ok: false, error: 'unreachable', detail: `binding: HTTP ${bound.status}` };
    return {
      ok: true,
      config: {
        tenant: site.tenant,
        store: site.store,
        storeName: dir.store.name,
        code: term.code,
        name: term.name,
        brand: term.brand,
        brandName: dir.brands.find((b) => b.code === term.brand)?.name ?? term.brand,
        type: term.terminal_type,
        orderPrefix: term.order_prefix,
        userName: name,
        secret,
        deviceId: req.deviceId,
        assignedAt,
        paperWidth: req.paperWidth,
      },
    };
  } catch (e) {
    if (e instanceof StoreUnreachable) return { ok: false, error: 'unreachable', detail: e.message };
    throw e;
  }
}

/**
 * Scenario 2: a restarted device checks, quietly, that its secret still opens its account.
 * 'unassigned' means an admin freed the terminal; 'offline' means keep working locally.
 */
export async function revalidate(site: Site, config: TerminalConfig): Promise<'valid' | 'unassigned' | 'offline'> {
  try {
    const res = await request(site, 'GET', '_session', basic(config.userName, config.secret));
    if (res.status === 401) return 'unassigned';
    if (!res.ok) return 'offline';
    const body = (await res.json()) as { userCtx?: { name?: string | null } };
    return body.userCtx?.name === config.userName ? 'valid' : 'unassigned';
  } catch {
    return 'offline';
  }
}
