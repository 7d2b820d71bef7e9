// Entry point of the edge relay on a store server (systemd: lapak-relay.service).
import { relayOptionsFromEnv } from './config';
import { couchRequest, errorText } from './couch';
import { startRelay } from './server';

const options = relayOptionsFromEnv();
const relay = await startRelay(options);
console.log(
  `lapak relay: ${relay.roomUrl} (presence of ${options.tenant}/${options.store}; heartbeats as ${options.relayAuth.username} ` +
    `on ${options.storeUrl}), health at ${relay.healthUrl}`,
);

// Say at once when the relay's account does not work, rather than on every heartbeat.
try {
  const res = await couchRequest(options.storeUrl, 'GET', '_session', { auth: options.relayAuth, timeoutMs: 5_000 });
  const name = (res.body.userCtx as { name?: unknown } | undefined)?.name;
  if (res.status !== 200 || name !== options.relayAuth.username)
    console.error(
      `lapak relay: the store server does not accept ${options.relayAuth.username} with LAPAK_RELAY_PASSWORD (HTTP ${res.status}); ` +
        'no heartbeats will be written until the account exists: npm run provision-store with the relay password.',
    );
} catch (e) {
  console.error(
    `lapak relay: the store server at ${options.storeUrl} is not answering yet (${errorText(e)}); heartbeats start when it does.`,
  );
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void relay.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
