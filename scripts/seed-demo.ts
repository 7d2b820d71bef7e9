// scripts/seed-demo: the demo tenant (YOGYA Group, store Yogya BSD) on the configured servers.
import { loadConfig } from '../couch/config';
import { runCli } from './lib/cli';
import { saveDemoCredentials } from './lib/demo-credentials';
import { DEMO_HQ, seedDemo } from './lib/demo-seed';
import { formatPairingSheet } from './lib/print-result';
import { targetsFromConfig } from './lib/targets';

await runCli(async () => {
  const config = loadConfig();
  const result = await seedDemo(targetsFromConfig(config), { tenant: config.tenant, store: config.storeCode });
  saveDemoCredentials(config.dataDir, result);
  console.log(`Demo tenant ${config.tenant}/${config.storeCode} is in place (${result.catalogChanges} catalog changes).`);
  console.log(formatPairingSheet(result.provision));
  console.log(`\nHQ login: ${result.hqUser} / ${DEMO_HQ.password}`);
  if (result.secondTenant) console.log(`HQ login of the second tenant: ${result.secondTenant.hqUser} / ${result.secondTenant.password}`);
});
