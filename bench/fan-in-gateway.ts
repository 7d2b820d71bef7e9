// Child process of bench/central-fan-in.ts: the project's gateway in front of central, in a
// process of its own as in production (lapak-gateway.service), so that its CPU time and memory
// can be read apart from the benchmark's. Usage (by the benchmark):
//   node --import tsx bench/fan-in-gateway.ts <upstream couch url> <port> <empty static dir>
// Prints one JSON line {"url": ...} when it listens; stops on SIGTERM or when stdin closes.
import { startGateway } from '../couch/gateway/server';
import { DEFAULT_LOGIN_LIMITS } from '../couch/gateway/login-throttle';

const [upstream, port, staticDir] = process.argv.slice(2);
if (!upstream || !port || !staticDir) {
  console.error('usage: fan-in-gateway.ts <upstream> <port> <staticDir>');
  process.exit(2);
}

const gateway = await startGateway({
  host: '127.0.0.1',
  port: Number(port),
  tls: null,
  upstream,
  staticDir,
  label: 'central',
  site: { kind: 'central' },
  loginLimits: DEFAULT_LOGIN_LIMITS,
});
process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}` }) + '\n');

let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  void gateway.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// If the benchmark dies without killing us, its end of the pipe closes.
process.stdin.on('end', stop);
process.stdin.resume();
