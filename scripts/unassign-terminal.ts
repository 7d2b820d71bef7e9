// scripts/unassign-terminal: free a terminal from its device and issue a new pairing code.
import { parseArgs } from 'node:util';
import { loadConfig } from '../couch/config';
import { runCli, UsageError } from './lib/cli';
import { nanoAdmin } from './lib/nano-admin';
import { unassignTerminal } from './lib/unassign';

const HELP = `Usage: npm run unassign-terminal -- --terminal CODE [--tenant CODE] [--store CODE]

Unbinds a terminal from its device: the old device can no longer log in or write as it,
and a new one-time pairing code is printed for the replacement device. Tenant and store
default to LAPAK_TENANT / LAPAK_STORE. Needs the store server's admin credentials.`;

await runCli(async () => {
  const { values } = parseArgs({
    options: { terminal: { type: 'string' }, tenant: { type: 'string' }, store: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return console.log(HELP);
  if (!values.terminal) throw new UsageError(`Name the terminal with --terminal, e.g. --terminal KIOSK-GEPREK-01\n\n${HELP}`);
  const config = loadConfig();
  const r = await unassignTerminal(
    nanoAdmin('store server', config.store),
    values.tenant ?? config.tenant,
    values.store ?? config.storeCode,
    values.terminal,
    config.storePublicUrl,
  );
  console.log(
    `Terminal ${r.terminal} unassigned${r.previousDevice ? ` from device ${r.previousDevice}` : ' (it was not bound to a device)'}.`,
  );
  console.log(`New pairing code: ${r.code}\nSetup URL: ${r.setupUrl}`);
});
