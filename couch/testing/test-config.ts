// The configuration of a throwaway stack for tests and benchmarks: a fresh data directory,
// free loopback ports, and the CouchDBs of LAPAK_TEST_STORE_COUCH_URL /
// LAPAK_TEST_CENTRAL_COUCH_URL instead of embedded servers when they are set.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LapakConfig } from '../config';
import { freePort } from './free-port';

export async function throwawayConfig(
  label: string,
  adminPassword: string,
  dataDir = mkdtempSync(join(tmpdir(), `lapak-${label}-`)),
  /** Settings that win over the ones above (e.g. a central of the test's own). */
  env: Record<string, string | undefined> = {},
): Promise<{ config: LapakConfig; dataDir: string }> {
  const config = loadConfig({
    LAPAK_DATA_DIR: dataDir,
    LAPAK_ADMIN_USER: 'admin',
    LAPAK_ADMIN_PASSWORD: adminPassword,
    LAPAK_STORE_COUCH_URL: process.env.LAPAK_TEST_STORE_COUCH_URL,
    // The data directory of that CouchDB, for the gateway's disk guard (the embedded server's is under dataDir).
    LAPAK_STORE_DISK_DIR: process.env.LAPAK_TEST_STORE_COUCH_URL ? process.env.LAPAK_TEST_STORE_DISK_DIR : undefined,
    LAPAK_CENTRAL_COUCH_URL: process.env.LAPAK_TEST_CENTRAL_COUCH_URL,
    LAPAK_STORE_COUCH_PORT: String(await freePort()),
    LAPAK_CENTRAL_COUCH_PORT: String(await freePort()),
    LAPAK_GATEWAY_PORT: String(await freePort()),
    LAPAK_CENTRAL_GATEWAY_PORT: String(await freePort()),
    LAPAK_RELAY_PORT: String(await freePort()),
    LAPAK_CONNECTOR_PORT: String(await freePort()),
    LAPAK_CONFIG: join(dataDir, 'none.json'),
    // Every test client calls from 127.0.0.1: the per-address lock is tested on a gateway of its own.
    LAPAK_LOGIN_ADDRESS_FAILURES: '100000',
    ...env,
  });
  return { config, dataDir };
}
