// Settings of the edge relay: the store it serves and the CouchDB-compatible store server it
// asks and writes to come from couch/config.ts (environment, then lapak.config.json); the
// relay's own knobs come from LAPAK_RELAY_* variables.
import { isIP } from 'node:net';
import { loadConfig, type LapakConfig } from '../couch/config';
import { userName } from '../design-docs/lib/names';

export interface Credentials {
  username: string;
  password: string;
}

export interface RelayOptions {
  /** Listen address; loopback, the gateway proxies /relay to it. */
  host: string;
  /** Listen port; 0 picks a free one. */
  port: number;
  tenant: string;
  store: string;
  /** The store server, without credentials (e.g. http://127.0.0.1:5984). */
  storeUrl: string;
  /** The relay's own account relay.<tenant>.<store>: writes heartbeats. */
  relayAuth: Credentials;
  /** The server admin: only for /health (replication state lives in _replicator). */
  admin: Credentials | null;
  /** At most one heartbeat write per terminal in this time (the first one on connect is immediate). */
  heartbeatMs: number;
  /** A connect or disconnect heartbeat is skipped when the terminal had one this recently (reconnect storms). */
  heartbeatMinGapMs: number;
  /** How long the relay waits for a new connection's first presence before writing its first heartbeat anyway. */
  firstHeartbeatDelayMs: number;
  /** Larger websocket messages close their connection with 1009. */
  maxMessageBytes: number;
  /** Ping every connection this often; one that has not answered the previous ping is terminated. */
  pingMs: number;
  /** A terminal is online when seen this recently. */
  onlineWindowMs: number;
  /** Timeout of each request to the store server. */
  couchTimeoutMs: number;
  maxConnections: number;
  /** Open (and opening) connections one account may hold; further upgrades get 429. A screen uses one. */
  maxConnectionsPerAccount: number;
  /** Open (and opening) connections from one client address, counted before authentication; further upgrades get 429. */
  maxConnectionsPerAddress: number;
  /** Peers whose X-Forwarded-For names the client (the store gateway on loopback). */
  trustedProxies: string[];
  /** Where disk_free_bytes is measured. */
  dataDir: string;
  log: (line: string) => void;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8091,
  heartbeatMs: 60_000,
  heartbeatMinGapMs: 5_000,
  firstHeartbeatDelayMs: 1_500,
  maxMessageBytes: 64 * 1024,
  pingMs: 30_000,
  onlineWindowMs: 5 * 60_000,
  couchTimeoutMs: 1_500,
  maxConnections: 500,
  maxConnectionsPerAccount: 4,
  maxConnectionsPerAddress: 64,
  trustedProxies: ['127.0.0.1', '::1'] as string[],
  dataDir: '/',
} as const;

type Env = Record<string, string | undefined>;

function positiveInt(env: Env, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${key} must be a positive whole number, not "${raw}".`);
  return n;
}

function addressList(env: Env, key: string, fallback: string[]): string[] {
  const raw = env[key];
  if (raw === undefined) return fallback;
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const bad = list.filter((a) => isIP(a) === 0);
  if (bad.length > 0) throw new Error(`${key} must be a comma-separated list of IP addresses; "${bad.join('", "')}" is not one.`);
  return list;
}

export function relayOptionsFromEnv(env: Env = process.env): RelayOptions {
  return relayOptionsFromConfig(loadConfig(env), env);
}

export function relayOptionsFromConfig(config: LapakConfig, env: Env = process.env): RelayOptions {
  return {
    host: config.relay.host,
    port: config.relay.port,
    tenant: config.tenant,
    store: config.storeCode,
    storeUrl: config.store.url,
    relayAuth: { username: userName.relay(config.tenant, config.storeCode), password: config.relay.password },
    admin: config.store.admin,
    heartbeatMs: positiveInt(env, 'LAPAK_RELAY_HEARTBEAT_MS', DEFAULTS.heartbeatMs),
    heartbeatMinGapMs: DEFAULTS.heartbeatMinGapMs,
    firstHeartbeatDelayMs: DEFAULTS.firstHeartbeatDelayMs,
    maxMessageBytes: positiveInt(env, 'LAPAK_RELAY_MAX_MESSAGE_BYTES', DEFAULTS.maxMessageBytes),
    pingMs: positiveInt(env, 'LAPAK_RELAY_PING_MS', DEFAULTS.pingMs),
    onlineWindowMs: DEFAULTS.onlineWindowMs,
    couchTimeoutMs: DEFAULTS.couchTimeoutMs,
    maxConnections: positiveInt(env, 'LAPAK_RELAY_MAX_CONNECTIONS', DEFAULTS.maxConnections),
    maxConnectionsPerAccount: positiveInt(env, 'LAPAK_RELAY_MAX_PER_ACCOUNT', DEFAULTS.maxConnectionsPerAccount),
    maxConnectionsPerAddress: positiveInt(env, 'LAPAK_RELAY_MAX_PER_ADDRESS', DEFAULTS.maxConnectionsPerAddress),
    trustedProxies: addressList(env, 'LAPAK_RELAY_TRUSTED_PROXIES', DEFAULTS.trustedProxies),
    dataDir: config.dataDir,
    log: (line) => console.error(`[relay] ${line}`),
  };
}
