// `npm start`: the whole store on one machine, for development and demos. A store server
// and a central server (embedded PouchDB Server, or CouchDB when configured), each behind
// its gateway serving the web app, with the demo tenant provisioned and replicating.
import { dbName } from '../design-docs/lib/names';
import { saveDemoCredentials } from '../scripts/lib/demo-credentials';
import { DEMO_HQ, seedDemo } from '../scripts/lib/demo-seed';
import { DEMO_STAFF } from '../scripts/demo/yogya-staff';
import { targetsFromConfig } from '../scripts/lib/targets';
import { loadConfig } from './config';
import { startStack } from './stack';

const config = loadConfig();
const stack = await startStack(config, (line) => console.error(line));
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping Lapak…');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

try {
  const seeded = await seedDemo(targetsFromConfig(config), { tenant: config.tenant, store: config.storeCode });
  const creds = saveDemoCredentials(config.dataDir, seeded);
  const { tenant, storeCode } = config;
  const describe = (e: typeof config.store) =>
    e.embedded ? `PouchDB Server (embedded), data in ${config.dataDir}` : 'Apache CouchDB (configured)';
  console.log(`
Lapak is running: demo tenant ${tenant}, store ${storeCode} (Yogya BSD).

  Store server     ${stack.store.gateway.url}        web app at /, database at /db
                   database server ${config.store.url}  ${describe(config.store)}
  Central server   ${stack.central.gateway.url}        HQ web app at /, database at /db
                   database server ${config.central.url}  ${describe(config.central)}

  Edge relay       ${stack.store.gateway.url.replace(/^http/, 'ws')}/relay/${tenant}/${storeCode}   presence and heartbeats (loopback port ${config.relay.port})
                   health report: ${stack.store.gateway.url}/relay/health

  Payments         connector ${stack.payments.notifyUrl ?? '(not running)'}   confirms QRIS from the provider's notifications
                   ${stack.payments.simulatorUrl ? `provider simulator ${stack.payments.simulatorUrl}/simulator   pay a kiosk's QRIS here (no real money)` : `provider ${config.connector.providerUrl}`}

  Replication      ${dbName.ops(tenant, storeCode)}, ${dbName.directory(tenant, storeCode)} and ${dbName.control(tenant, storeCode)} both ways,
                   ${dbName.catalog(tenant)} from central down to the store.

  HQ admin page    ${stack.central.gateway.url}/hq   (stores, terminals, staff, catalog, reports, review; /hq/provision sets up a store)
  HQ login         ${seeded.hqUser} / ${DEMO_HQ.password}   (central)
${seeded.secondTenant ? `  Second tenant    ${seeded.secondTenant.hqUser} / ${seeded.secondTenant.password}   (central; sees only ${seeded.secondTenant.tenant}/${seeded.secondTenant.store})` : ''}
  Fauxton          ${stack.central.gateway.url}/db/_utils/#/login, then ${stack.central.gateway.url}/db/_utils/#/database/${dbName.ops(tenant, storeCode)}/_all_docs
                   (as HQ; databases open by URL, see docs/hq.md)
${creds.storeAdminPasswords.map((a) => `  Store manager    ${a.name} / ${a.password}   (store)`).join('\n')}
  Cashier PINs     ${DEMO_STAFF.map((p) => `${p.name} (${p.role}) ${p.pin}`).join(', ')}   (sign in at a cashier; a supervisor approves voids and refunds)

  Pairing codes (terminal setup; each works once):
${creds.pairingCodes.map((p) => `    ${p.terminal.padEnd(17)} ${p.type.padEnd(8)} ${p.code}   ${p.setupUrl}`).join('\n') || '    (all demo terminals were paired earlier; npm run unassign-terminal -- --terminal CODE issues a new code)'}

Stop with Ctrl+C. Data stays in ${config.dataDir}; delete that folder to start afresh.`);
} catch (e) {
  console.error(`\nLapak could not set up the demo store: ${(e as Error).message}`);
  await stack.stop();
  process.exit(1);
}
