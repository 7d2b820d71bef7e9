// Integration tests run against real server processes: two PouchDB Servers (or the
// CouchDBs named by LAPAK_TEST_STORE_COUCH_URL / LAPAK_TEST_CENTRAL_COUCH_URL) behind two
// gateways, started once for the run on free loopback ports with a fresh data directory.
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startStack, type Stack } from '../stack';
import { throwawayConfig } from './test-config';
import type { TestServers } from './servers';
import { removeLeftovers, snapshotServer } from './leftovers';

let stack: Stack | null = null;
let dataDir = '';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const made = await throwawayConfig('it', 'it-admin-secret');
  dataDir = made.dataDir;
  const config = made.config;
  // A configured CouchDB outlives the run: what the run creates there is removed afterwards.
  const configured = [config.store, config.central].filter((e, i, all) => !e.embedded && all.findIndex((o) => o.url === e.url) === i);
  const before = await Promise.all(configured.map((e) => snapshotServer(e)));
  stack = await startStack(config, (l) => process.env.LAPAK_TEST_SERVER_LOG && console.error(l));
  const servers: TestServers = {
    store: { couchUrl: config.store.url, gatewayUrl: stack.store.gateway.url, admin: config.store.admin },
    central: { couchUrl: config.central.url, gatewayUrl: stack.central.gateway.url, admin: config.central.admin },
    dataDir,
  };
  project.provide('lapakServers', servers);
  return async () => {
    await stack?.stop();
    for (const [i, e] of configured.entries()) await removeLeftovers(e, before[i]!);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
