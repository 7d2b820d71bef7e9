// Integration tests run against real server processes: two PouchDB Servers (or the
// CouchDBs named by LAPAK_TEST_STORE_COUCH_URL / LAPAK_TEST_CENTRAL_COUCH_URL) behind two
// gateways, started once for the run on free loopback ports with a fresh data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../config';
import { startStack, type Stack } from '../stack';
import { freePort } from './free-port';
import type { TestServers } from './servers';

let stack: Stack | null = null;
let dataDir = '';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  dataDir = mkdtempSync(join(tmpdir(), 'lapak-it-'));
  const env: Record<string, string | undefined> = {
    LAPAK_DATA_DIR: dataDir,
    LAPAK_ADMIN_USER: 'admin',
    LAPAK_ADMIN_PASSWORD: 'it-admin-secret',
    LAPAK_STORE_COUCH_URL: process.env.LAPAK_TEST_STORE_COUCH_URL,
    LAPAK_CENTRAL_COUCH_URL: process.env.LAPAK_TEST_CENTRAL_COUCH_URL,
    LAPAK_STORE_COUCH_PORT: String(await freePort()),
    LAPAK_CENTRAL_COUCH_PORT: String(await freePort()),
    LAPAK_GATEWAY_PORT: String(await freePort()),
    LAPAK_CENTRAL_GATEWAY_PORT: String(await freePort()),
    LAPAK_RELAY_PORT: String(await freePort()),
    LAPAK_CONFIG: join(dataDir, 'none.json'),
  };
  const config = loadConfig(env);
  stack = await startStack(config, () => {});
  const servers: TestServers = {
    store: { couchUrl: config.store.url, gatewayUrl: stack.store.gateway.url, admin: config.store.admin },
    central: { couchUrl: config.central.url, gatewayUrl: stack.central.gateway.url, admin: config.central.admin },
    dataDir,
  };
  project.provide('lapakServers', servers);
  return async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
