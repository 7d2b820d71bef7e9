// Starts a store and a central server behind their gateways on free ports, seeds the demo
// tenant, and hands the URLs and demo credentials to the tests through the environment.
// A small control endpoint lets tests stop and start a side (an outage) and unassign a
// terminal (a fresh pairing code), because tests run in other processes.
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { startStack, type Side } from '../couch/stack';
import { freePort } from '../couch/testing/free-port';
import { throwawayConfig } from '../couch/testing/test-config';
import { nanoAdmin } from '../scripts/lib/couch-admin';
import { DEMO_HQ, seedDemo } from '../scripts/lib/demo-seed';
import { targetsFromConfig } from '../scripts/lib/targets';
import { unassignTerminal } from '../scripts/lib/unassign';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const { config, dataDir } = await throwawayConfig('e2e', 'e2e-admin-secret');
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
  });
  return async () => {
    control.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
