// Entry point for a store server's gateway (systemd: lapak-gateway.service).
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config';
import { DiskGuard } from './disk-guard';
import { startGateway } from './server';

const config = loadConfig();
const gateway = await startGateway({
  ...config.storeGateway,
  upstream: config.store.url,
  staticDir: fileURLToPath(new URL('../../web/dist', import.meta.url)),
  label: 'store',
  site: { kind: 'store', tenant: config.tenant, store: config.storeCode },
  diskGuard:
    config.diskGuard.storeDir && config.diskGuard.minFreeBytes > 0
      ? new DiskGuard(config.diskGuard.storeDir, config.diskGuard.minFreeBytes, 'store')
      : undefined,
});
console.log(`lapak gateway: ${gateway.url} (PWA at /, database at /db -> ${config.store.url})`);
