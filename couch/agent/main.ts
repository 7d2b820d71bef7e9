// Entry point of the store agent (systemd: lapak-agent.service): background duties that
// need the store server's admin: the replication watchdog, HQ's terminal requests and the
// replication status reports.
import { loadConfig } from '../config';
import { nanoAdmin } from '../../scripts/lib/nano-admin';
import { startReplicationStatus } from './replication-status';
import { startReplicationWatchdog } from './replication-watchdog';
import { startTerminalRequests } from './terminal-requests';

const config = loadConfig();
const common = {
  store: nanoAdmin('store server', config.store),
  tenant: config.tenant,
  storeCode: config.storeCode,
  log: (line: string) => console.log(`[agent] ${line}`),
};
startReplicationWatchdog({ ...common, centralUrl: config.centralPublicUrl });
startTerminalRequests({ ...common, storePublicUrl: config.storePublicUrl });
startReplicationStatus({ ...common, centralUrl: config.centralPublicUrl });
console.log(
  `lapak agent: store ${config.tenant}/${config.storeCode}: watching the link to ${config.centralPublicUrl}, answering HQ's terminal requests, reporting replication status`,
);
