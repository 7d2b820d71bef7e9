// Entry point of the store agent (systemd: lapak-agent.service): background duties that
// need the store server's admin: the replication watchdog, HQ's terminal requests and the
// replication status reports, the integrity guard and anti-entropy with central.
import { buildDesignDocs } from '../../design-docs/build';
import { loadConfig } from '../config';
import { nanoAdmin } from '../../scripts/lib/nano-admin';
import { startPublicDirectory } from './public-directory';
import { agentTimings } from './timings';
import { startIntegrityGuard } from './integrity-guard';
import { startReconciler } from './reconcile';
import { startAuditor } from './auditor';
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
startPublicDirectory(common);
const timings = agentTimings(process.env);
startIntegrityGuard({ ...common, designDocs: buildDesignDocs, intervalMs: timings.integrityMs });
startReconciler({ ...common, ...timings.reconcile });
startAuditor(common);
console.log(
  `lapak agent: store ${config.tenant}/${config.storeCode}: watching the link to ${config.centralPublicUrl}, answering HQ's terminal requests, reporting replication status, keeping the public directory, guarding design documents and _security, reconciling with central, auditing orders`,
);
