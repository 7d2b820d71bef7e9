// Pairing a device with a terminal, as the seed's validation endpoint did, but enforced by
// CouchDB: the one-time pairing code is the terminal account's password; the device logs
// in with it, replaces it with a secret only the device knows, and records its binding.
// Scenario 1 (first setup), 3 (bound elsewhere) and 4 (unknown brand) end here; scenario 2
// (restart) is revalidate().
import { dbName, userDocId, userName } from '../../../design-docs/lib/names';
import { deviceHash } from '../../../design-docs/lib/public-directory';
import { SCHEMA_VERSION, type Binding, type PublicTerminal, type Terminal } from '../../../design-docs/lib/types';
import { nowIso } from '../device/clock';
import { deviceInfo } from '../device/device-info';
import type { TerminalConfig } from '../device/terminal-config';
import { fetchDirectory, StoreUnreachable, type Directory, type Site } from './directory';
import { lockoutOf } from './lockout';

export type PairingResult =
  | { ok: true; config: TerminalConfig }
  | { ok: false; error: 'brand_not_found'; brands: { code: string; name: string }[] }
  | { ok: false; error: 'terminal_not_found'; terminals: { code: string; name: string; type: string }[] }
  | { ok: false; error: 'terminal_inactive' }
  | { ok: false; error: 'already_bound'; assignedAt: string | null; lastSeen: string | null }
  | { ok: false; error: 'wrong_code' }
  /** The gateway locked logins out after too many wrong codes (429); the code is not spent. */
  | { ok: false; error: 'too_many_attempts'; retryAfterSeconds: number }
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

/**
 * CouchDB 3 refuses the new password (401) for a moment after a password change, until its
 * auth cache sees the change (docs/couchdb-compat.md): the code is spent by then, so retry
 * for a bounded time instead of failing the pairing.
 */
async function untilNewPasswordWorks(send: () => Promise<Response>, timeoutMs = 10_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await send();
    if (res.status !== 401 || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function newSecret(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The registry checks, done before any login so that each problem gets its own message.
 * `ownHash` is this device's `deviceHash` for the terminal: a binding with that hash is this
 * device's own (it re-installs), any other binding is another device's.
 */
export function checkRegistry(
  dir: Directory,
  brand: string,
  terminal: string,
  ownHash: string | null,
): Exclude<PairingResult, { ok: true }> | PublicTerminal {
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
  if (term.assigned && !(ownHash !== null && term.device_hash === ownHash))
    return { ok: false, error: 'already_bound', assignedAt: term.assigned_at, lastSeen: term.last_seen };
  return term;
}

export async function pairTerminal(site: Site, req: PairingRequest): Promise<PairingResult> {
  try {
    const dir = await fetchDirectory(site);
    const ownHash = await deviceHash(site.tenant, site.store, req.terminal, req.deviceId);
    const checked = checkRegistry(dir, req.brand, req.terminal, ownHash);
    if ('ok' in checked) return checked;
    const name = userName.terminal(site.tenant, site.store, req.terminal);
    const userPath = `_users/${encodeURIComponent(userDocId(name))}`;
    const own = await request(site, 'GET', userPath, basic(name, req.code));
    if (own.status === 429) return { ok: false, error: 'too_many_attempts', retryAfterSeconds: await lockoutOf(own) };
    if (own.status === 401) {
      // A spent code: often because another device paired with it a moment ago, which the public directory now says.
      const again = checkRegistry(await fetchDirectory(site), req.brand, req.terminal, ownHash);
      return 'ok' in again ? again : { ok: false, error: 'wrong_code' };
    }
    if (!own.ok) return { ok: false, error: 'unreachable', detail: `HTTP ${own.status}` };
    // The full registry entry (order prefix) is for the store's accounts only; the code is one, until it is spent.
    const directoryDb = dbName.directory(site.tenant, site.store);
    const entry = await request(site, 'GET', `${directoryDb}/${encodeURIComponent(`terminal:${req.terminal}`)}`, basic(name, req.code));
    if (!entry.ok) return { ok: false, error: 'unreachable', detail: `terminal: HTTP ${entry.status}` };
    const term = (await entry.json()) as Terminal;
    const secret = newSecret();
    const changed = await request(site, 'PUT', userPath, basic(name, req.code), { ...(await own.json()), password: secret });
    if (changed.status === 429) return { ok: false, error: 'too_many_attempts', retryAfterSeconds: await lockoutOf(changed) };
    if (changed.status === 409 || changed.status === 401) {
      // Another device used the same code a moment ago.
      const again = checkRegistry(await fetchDirectory(site), req.brand, req.terminal, ownHash);
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
    const bound = await untilNewPasswordWorks(() =>
      request(site, 'PUT', `${directoryDb}/${encodeURIComponent(binding._id)}`, basic(name, secret), binding),
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
