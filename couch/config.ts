// Settings for the local processes, from the environment, then lapak.config.json, then
// defaults that suit a developer laptop. Every server can be an Apache CouchDB instead of
// the embedded PouchDB Server by giving its URL.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './gateway/login-throttle';

export interface CouchEndpoint {
  /** Base URL without credentials, e.g. http://127.0.0.1:15984 */
  url: string;
  admin: { username: string; password: string };
  /** Start PouchDB Server here (true) or use a CouchDB that is already running (false). */
  embedded: boolean;
  port: number;
}

export interface GatewaySettings {
  host: string;
  port: number;
  tls: { cert: string; key: string } | null;
  /** Failed-login limits (couch/gateway/login-throttle.ts). */
  loginLimits: LoginLimits;
}

export interface LapakConfig {
  dataDir: string;
  store: CouchEndpoint;
  central: CouchEndpoint;
  storeGateway: GatewaySettings;
  centralGateway: GatewaySettings;
  /** How the store server reaches central for replication (central's public endpoint). */
  centralPublicUrl: string;
  /** How tablets reach the store (printed in setup URLs). */
  storePublicUrl: string;
  tenant: string;
  storeCode: string;
  relay: { host: string; port: number; password: string };
  /**
   * The payment connector (couch/payments/): its account's password, the port of its notification
   * endpoint, and the provider it charges. No LAPAK_PAYMENT_PROVIDER_URL: the stack starts the local
   * provider simulator and uses it.
   */
  connector: { host: string; port: number; password: string; providerUrl: string | null; serverKey: string };
  /**
   * `q` and `n` of the databases provisioning creates at central (LAPAK_CENTRAL_DB_Q, LAPAK_CENTRAL_DB_N), for
   * central on a CouchDB cluster (docs/scale.md); unset: the server's `[cluster]` defaults.
   */
  centralShards: { q?: number; n?: number };
  /** Each gateway refuses writes while less than `minFreeBytes` is free on its database server's disk (0: never). */
  diskGuard: { minFreeBytes: number; storeDir: string | null; centralDir: string | null };
}

type Env = Record<string, string | undefined>;

function fileSettings(env: Env): Env {
  const path = resolve(env.LAPAK_CONFIG ?? 'lapak.config.json');
  if (!existsSync(path)) return {};
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const out: Env = {};
  for (const [k, v] of Object.entries(raw)) out[k] = String(v);
  return out;
}

/** An endpoint from `LAPAK_<NAME>_COUCH_URL` (http://user:pass@host:port) or an embedded server on a loopback port. */
function endpoint(get: (k: string) => string | undefined, name: 'STORE' | 'CENTRAL', defaultPort: number): CouchEndpoint {
  const external = get(`LAPAK_${name}_COUCH_URL`);
  const adminUser = get('LAPAK_ADMIN_USER') ?? 'admin';
  const adminPassword = get('LAPAK_ADMIN_PASSWORD') ?? 'lapak-dev-admin';
  if (external) {
    const u = new URL(external);
    const admin = { username: decodeURIComponent(u.username) || adminUser, password: decodeURIComponent(u.password) || adminPassword };
    u.username = '';
    u.password = '';
    return { url: u.toString().replace(/\/$/, ''), admin, embedded: false, port: Number(u.port || 5984) };
  }
  const port = Number(get(`LAPAK_${name}_COUCH_PORT`) ?? defaultPort);
  return { url: `http://127.0.0.1:${port}`, admin: { username: adminUser, password: adminPassword }, embedded: true, port };
}

function gateway(get: (k: string) => string | undefined, prefix: string, defaultPort: number): GatewaySettings {
  const cert = get(`${prefix}_TLS_CERT`);
  const key = get(`${prefix}_TLS_KEY`);
  return {
    host: get('LAPAK_BIND') ?? '127.0.0.1',
    port: Number(get(`${prefix}_PORT`) ?? defaultPort),
    tls: cert && key ? { cert, key } : null,
    loginLimits: {
      perAccount: Number(get('LAPAK_LOGIN_ACCOUNT_FAILURES') ?? DEFAULT_LOGIN_LIMITS.perAccount),
      perAddress: Number(get('LAPAK_LOGIN_ADDRESS_FAILURES') ?? DEFAULT_LOGIN_LIMITS.perAddress),
      windowMs: DEFAULT_LOGIN_LIMITS.windowMs,
      lockMs: Number(get('LAPAK_LOGIN_LOCK_MINUTES') ?? DEFAULT_LOGIN_LIMITS.lockMs / 60_000) * 60_000,
    },
  };
}

/** A whole number of at least 1 from `key`, or undefined when unset. */
function count(get: (k: string) => string | undefined, key: string): number | undefined {
  const raw = get(key);
  if (raw === undefined || raw === '') return undefined;
  if (!/^[1-9]\d*$/.test(raw)) throw new Error(`${key} must be a whole number of at least 1, not "${raw}"`);
  return Number(raw);
}

export function loadConfig(env: Env = process.env): LapakConfig {
  const file = fileSettings(env);
  const get = (k: string) => env[k] ?? file[k];
  const storeGateway = gateway(get, 'LAPAK_GATEWAY', 8080);
  const centralGateway = gateway(get, 'LAPAK_CENTRAL_GATEWAY', 8090);
  const scheme = (g: GatewaySettings) => (g.tls ? 'https' : 'http');
  const dataDir = resolve(get('LAPAK_DATA_DIR') ?? '.lapak-data');
  const store = endpoint(get, 'STORE', 15984);
  const central = endpoint(get, 'CENTRAL', 25984);
  // An embedded server keeps its data under the data directory; a CouchDB's database_dir is
  // only known if given (on a store Pi the gateway runs beside CouchDB: /var/lib/couchdb).
  const diskDir = (e: CouchEndpoint, side: 'store' | 'central', key: string) =>
    get(key) ? resolve(get(key)!) : e.embedded ? resolve(dataDir, side) : null;
  return {
    dataDir,
    store,
    central,
    storeGateway,
    centralGateway,
    centralPublicUrl: get('LAPAK_CENTRAL_PUBLIC_URL') ?? `${scheme(centralGateway)}://localhost:${centralGateway.port}/db`,
    centralShards: { q: count(get, 'LAPAK_CENTRAL_DB_Q'), n: count(get, 'LAPAK_CENTRAL_DB_N') },
    storePublicUrl: get('LAPAK_STORE_PUBLIC_URL') ?? `${scheme(storeGateway)}://localhost:${storeGateway.port}`,
    relay: { host: '127.0.0.1', port: Number(get('LAPAK_RELAY_PORT') ?? 8091), password: get('LAPAK_RELAY_PASSWORD') ?? 'lapak-dev-relay' },
    connector: {
      host: '127.0.0.1',
      port: Number(get('LAPAK_CONNECTOR_PORT') ?? 8092),
      password: get('LAPAK_CONNECTOR_PASSWORD') ?? 'lapak-dev-connector',
      providerUrl: get('LAPAK_PAYMENT_PROVIDER_URL') ?? null,
      serverKey: get('LAPAK_PAYMENT_SERVER_KEY') ?? 'SB-Mid-server-lapak-dev',
    },
    tenant: get('LAPAK_TENANT') ?? 'yogya',
    storeCode: get('LAPAK_STORE') ?? 'bsd',
    diskGuard: {
      minFreeBytes: Number(get('LAPAK_MIN_FREE_MB') ?? 64) * 1024 * 1024,
      storeDir: diskDir(store, 'store', 'LAPAK_STORE_DISK_DIR'),
      centralDir: diskDir(central, 'central', 'LAPAK_CENTRAL_DISK_DIR'),
    },
  };
}

/** Basic auth header for an endpoint's admin. */
export function adminAuthHeader(e: CouchEndpoint): string {
  return 'Basic ' + Buffer.from(`${e.admin.username}:${e.admin.password}`).toString('base64');
}
