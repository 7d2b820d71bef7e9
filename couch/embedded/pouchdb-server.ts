// Runs PouchDB Server (the embedded default) as a supervised child process on loopback.
// It is old and crashes on some unauthenticated requests, so it is never exposed
// directly: the gateway guards it, and this supervisor restarts it if it dies anyway.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { CouchEndpoint } from '../config';

const require = createRequire(import.meta.url);
const BIN = join(require.resolve('pouchdb-server/package.json'), '..', 'bin', 'pouchdb-server');

export interface EmbeddedServer {
  readonly url: string;
  /** Stops the server; SIGKILL plays a power cut (no clean shutdown). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  readonly pid: number | undefined;
}

export async function waitForCouch(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/`);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`CouchDB-compatible server at ${url} did not answer within ${timeoutMs} ms (${last}).`);
}

/**
 * Starts PouchDB Server for `endpoint` with its data in `dir`. The admin is written into its
 * config file before the first start (PouchDB Server hashes it), so the server never runs
 * as an admin party.
 */
export async function startPouchDbServer(
  endpoint: CouchEndpoint,
  dir: string,
  label: string,
  log: (line: string) => void = () => {},
): Promise<EmbeddedServer> {
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'config.json');
  if (!existsSync(configFile)) {
    writeFileSync(
      configFile,
      JSON.stringify({
        admins: { [endpoint.admin.username]: endpoint.admin.password },
        log: { file: join(dir, 'pouchdb-server.log'), level: 'warning' },
        couch_httpd_auth: { timeout: 43200 },
      }),
    );
  }
  let child: ChildProcess | null = null;
  let stopping = false;
  const run = () => {
    child = spawn(
      process.execPath,
      [BIN, '--port', String(endpoint.port), '--host', '127.0.0.1', '--dir', dir, '--config', configFile, '--no-stdout-logs', '--no-color'],
      {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    child.stderr?.on('data', (d: Buffer) => log(`[${label}] ${d.toString().trimEnd()}`));
    child.on('exit', (code, signal) => {
      if (stopping) return;
      log(`[${label}] PouchDB Server exited (${code ?? signal}); restarting in 1 s`);
      // stop() may come during that second: a server stopped is never started again.
      setTimeout(() => stopping || run(), 1000);
    });
  };
  run();
  await waitForCouch(endpoint.url);
  return {
    url: endpoint.url,
    get pid() {
      return child?.pid;
    },
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
