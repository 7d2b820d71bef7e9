// Starts a store and a central server behind their gateways on free ports, seeds the demo
// tenant, and hands the URLs and demo credentials to the tests through the environment.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../couch/config';
import { startStack } from '../couch/stack';
import { freePort } from '../couch/testing/free-port';
import { seedDemo } from '../scripts/lib/demo-seed';
import { targetsFromConfig } from '../scripts/lib/targets';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lapak-e2e-'));
  const config = loadConfig({
    LAPAK_DATA_DIR: dataDir,
    LAPAK_ADMIN_PASSWORD: 'e2e-admin-secret',
    LAPAK_STORE_COUCH_URL: process.env.LAPAK_TEST_STORE_COUCH_URL,
    LAPAK_CENTRAL_COUCH_URL: process.env.LAPAK_TEST_CENTRAL_COUCH_URL,
    LAPAK_STORE_COUCH_PORT: String(await freePort()),
    LAPAK_CENTRAL_COUCH_PORT: String(await freePort()),
    LAPAK_GATEWAY_PORT: String(await freePort()),
    LAPAK_CENTRAL_GATEWAY_PORT: String(await freePort()),
    LAPAK_CONFIG: join(dataDir, 'none.json'),
  });
  const stack = await startStack(config, () => {});
  const seeded = await seedDemo(
    targetsFromConfig({ ...config, storePublicUrl: stack.store.gateway.url, centralPublicUrl: `${stack.central.gateway.url}/db` }),
  );
  process.env.LAPAK_E2E = JSON.stringify({
    storeUrl: stack.store.gateway.url,
    centralUrl: stack.central.gateway.url,
    pairingCodes: seeded.provision.pairingCodes,
    storeAdmin: seeded.provision.storeAdminPasswords[0],
  });
  return async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
