// Entry point of the store agent (systemd: lapak-agent.service): background duties that
// need the store server's admin, for now the replication watchdog.
import { loadConfig } from '../config';
import { nanoAdmin } from '../../scripts/lib/nano-admin';
import { startReplicationWatchdog } from './replication-watchdog';

const config = loadConfig();
startReplicationWatchdog({
  store: nanoAdmin('store server', config.store),
  centralUrl: config.centralPublicUrl,
  tenant: config.tenant,
  storeCode: config.storeCode,
  log: (line) => console.log(`[agent] ${line}`),
});
console.log(`lapak agent: watching the link to ${config.centralPublicUrl} for store ${config.tenant}/${config.storeCode}`);
