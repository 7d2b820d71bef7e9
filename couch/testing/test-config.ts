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
): Promise<{ config: LapakConfig; dataDir: string }> {
  const config = loadConfig({
    LAPAK_DATA_DIR: dataDir,
    LAPAK_ADMIN_USER: 'admin',
    LAPAK_ADMIN_PASSWORD: adminPassword,
    LAPAK_STORE_COUCH_URL: process.env.LAPAK_TEST_STORE_COUCH_URL,
    LAPAK_CENTRAL_COUCH_URL: process.env.LAPAK_TEST_CENTRAL_COUCH_URL,
    LAPAK_STORE_COUCH_PORT: String(await freePort()),
    LAPAK_CENTRAL_COUCH_PORT: String(await freePort()),
    LAPAK_GATEWAY_PORT: String(await freePort()),
    LAPAK_CENTRAL_GATEWAY_PORT: String(await freePort()),
    LAPAK_RELAY_PORT: String(await freePort()),
    LAPAK_CONFIG: join(dataDir, 'none.json'),
  });
  return { config, dataDir };
}
