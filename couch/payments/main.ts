// Entry point of the payment connector on a store server (`tsx couch/payments/main.ts`).
// It needs the provider: LAPAK_PAYMENT_PROVIDER_URL and LAPAK_PAYMENT_SERVER_KEY (npm start
// runs the local provider simulator instead, see couch/stack.ts), and its account's password,
// LAPAK_CONNECTOR_PASSWORD, which provisioning gives the account connector.<tenant>.<store>.
import { loadConfig } from '../config';
import { startConnector } from './connector';
import { connectorOptionsFromConfig } from './options';

const config = loadConfig();
const providerUrl = config.connector.providerUrl;
if (!providerUrl) {
  console.error(
    'lapak connector: LAPAK_PAYMENT_PROVIDER_URL is not set (e.g. https://api.sandbox.midtrans.com or https://api.midtrans.com). ' +
      'On a development machine, npm start runs the connector with a local provider simulator instead.',
  );
  process.exit(2);
}
const connector = await startConnector(connectorOptionsFromConfig(config, providerUrl, (line) => console.log(`[connector] ${line}`)));
console.log(
  `lapak connector: store ${config.tenant}/${config.storeCode} on ${config.store.url}; provider ${providerUrl}; notifications at ${connector.notifyUrl}`,
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void connector.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
