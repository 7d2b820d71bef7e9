// Starts a store and a central server behind their gateways on free ports, seeds the demo
// tenant, and hands the URLs and demo credentials to the tests through the environment.
// A small control endpoint lets tests stop and start a side (an outage), unassign a
// terminal (a fresh pairing code) and fill the store server's disk, because tests run in
// other processes. The store server's data lives on a small tmpfs of its own when mounting
// is permitted, so that "disk full" is a really full disk.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { startStack, type Side } from '../couch/stack';
import { freePort } from '../couch/testing/free-port';
import { smallDisk } from '../couch/testing/small-disk';
import { throwawayConfig } from '../couch/testing/test-config';
import { nanoAdmin } from '../scripts/lib/nano-admin';
import { DEMO_HQ, seedDemo } from '../scripts/lib/demo-seed';
import { targetsFromConfig } from '../scripts/lib/targets';
import { unassignTerminal } from '../scripts/lib/unassign';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const { config, dataDir } = await throwawayConfig('e2e', 'e2e-admin-secret');
  // The store agent's integrity guard checks every 60 s in production; a test should not wait that long.
  process.env.LAPAK_INTEGRITY_INTERVAL_S ??= '2';
  const storeDiskDir = config.diskGuard.storeDir;
  const disk = config.store.embedded ? smallDisk(join(dataDir, 'store'), 256) : storeDiskDir ? smallDisk(storeDiskDir, 'given') : null;
  const stack = await startStack(config, () => {});
  const storeUrl = stack.store.gateway.url;
  const seeded = await seedDemo(
    targetsFromConfig({ ...config, storePublicUrl: storeUrl, centralPublicUrl: `${stack.central.gateway.url}/db` }),
  );

  const control = createServer((req, res) => {
    const [, action, arg] = (req.url ?? '').split('/');
    const done = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const toggles: Record<string, Record<string, () => Promise<void>>> = {
      relay: { stop: () => stack.stopRelay(), start: () => stack.startRelay() },
      link: { stop: () => stack.stopLink(), start: () => stack.startLink() },
      kill: { store: () => stack.stopSide('store', 'SIGKILL') },
    };
    const guard = stack.store.diskGuard;
    if (action === 'disk' && (arg === 'fill' || arg === 'empty')) {
      // Fill to half the reserve: the gateway refuses the tablets' writes, and the store
      // server's own replication from central still finds room.
      const work =
        !guard || !disk
          ? Promise.reject(
              new Error('the store server has no disk guard: set LAPAK_TEST_STORE_DISK_DIR to its CouchDB’s data directory (database_dir)'),
            )
          : arg === 'fill'
            ? disk.fill(guard, guard.minFreeBytes / 2).then((mode) => ({ ok: true, mode }))
            : disk.empty(guard).then(() => ({ ok: true }));
      return void work.then(done, (e: Error) => {
        res.writeHead(500);
        res.end(e.message);
      });
    }
    const toggle = toggles[action ?? '']?.[arg ?? ''];
    const relayWork = toggle ? toggle().then(() => ({ ok: true })) : null;
    const work =
      relayWork ??
      (action === 'stop' || action === 'start'
        ? (action === 'stop' ? stack.stopSide(arg as Side) : stack.startSide(arg as Side)).then(() => ({ ok: true }))
        : action === 'unassign'
          ? unassignTerminal(nanoAdmin('store server', config.store), config.tenant, config.storeCode, arg!, storeUrl)
          : Promise.reject(new Error(`unknown control ${req.url}`)));
    work.then(done, (e: Error) => {
      res.writeHead(500);
      res.end(e.message);
    });
  });
  const controlPort = await freePort();
  await new Promise<void>((r) => control.listen(controlPort, '127.0.0.1', r));

  process.env.LAPAK_E2E = JSON.stringify({
    storeUrl,
    centralUrl: stack.central.gateway.url,
    controlUrl: `http://127.0.0.1:${controlPort}`,
    storeCouch: { url: config.store.url, ...config.store.admin },
    centralCouch: { url: config.central.url, ...config.central.admin },
    pairingCodes: seeded.provision.pairingCodes,
    storeAdmin: seeded.provision.storeAdminPasswords[0],
    hq: { name: seeded.hqUser, password: DEMO_HQ.password },
    secondHq: seeded.secondTenant && { name: seeded.secondTenant.hqUser, password: seeded.secondTenant.password },
    simulatorUrl: stack.payments.simulatorUrl,
  });
  return async () => {
    control.close();
    await stack.stop();
    disk?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
