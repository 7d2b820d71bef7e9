// `npm start` as a person runs it (issue #11 item 3): the demo store comes up on its own servers,
// the embedded ones or the CouchDBs of LAPAK_TEST_START_STORE_COUCH_URL and
// LAPAK_TEST_START_CENTRAL_COUCH_URL (fresh servers: the demo tenant is provisioned into them; the
// CouchDB pass of scripts/test-on-couchdb.sh starts two). A kiosk pairs with a code `npm start`
// printed, shows the menu central's catalog brought down, takes an order, and the order reaches
// central's copy; HQ signs in at central and sees the store.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../couch/testing/free-port';
import { kioskOrder } from './terminal';

const ADMIN = { username: 'admin', password: 'npm-start-secret' };
const START_TIMEOUT = 240_000;

let child: ChildProcess | null = null;
let dataDir = '';
let output = '';
let started: { storeUrl: string; centralUrl: string; centralCouch: string; setupUrl: string; hq: { name: string; password: string } };

/** What `npm start` printed once the demo is up, or why it did not come up. */
function untilStarted(proc: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not finish within ${START_TIMEOUT} ms:\n${output}`)), START_TIMEOUT);
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Stop with Ctrl+C')) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', seen);
    proc.stderr!.on('data', seen);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before the demo was up:\n${output}`));
    });
  });
}

function printed(pattern: RegExp, what: string): RegExpMatchArray {
  const m = output.match(pattern);
  if (!m) throw new Error(`npm start printed no ${what}:\n${output}`);
  return m;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(START_TIMEOUT + 30_000);
  dataDir = mkdtempSync(join(tmpdir(), 'lapak-npm-start-'));
  const storeCouch = process.env.LAPAK_TEST_START_STORE_COUCH_URL;
  const centralCouch = process.env.LAPAK_TEST_START_CENTRAL_COUCH_URL;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LAPAK_DATA_DIR: dataDir,
    LAPAK_CONFIG: join(dataDir, 'none.json'),
    LAPAK_ADMIN_USER: ADMIN.username,
    LAPAK_ADMIN_PASSWORD: ADMIN.password,
    LAPAK_GATEWAY_PORT: String(await freePort()),
    LAPAK_CENTRAL_GATEWAY_PORT: String(await freePort()),
    LAPAK_RELAY_PORT: String(await freePort()),
    LAPAK_CONNECTOR_PORT: String(await freePort()),
    LAPAK_STORE_COUCH_PORT: String(await freePort()),
    LAPAK_CENTRAL_COUCH_PORT: String(await freePort()),
    LAPAK_STORE_COUCH_URL: storeCouch,
    LAPAK_CENTRAL_COUCH_URL: centralCouch,
  };
  // The web app is built already (npm test builds it first); this is the rest of `npm start`.
  child = spawn('npx', ['tsx', 'couch/start.ts'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  await untilStarted(child);
  const central = printed(/Central server\s+(\S+)\s[^\n]*\n\s+database server (\S+)/, 'central server');
  started = {
    storeUrl: printed(/Store server\s+(\S+)/, 'store server')[1]!,
    centralUrl: central[1]!,
    centralCouch: central[2]!,
    setupUrl: printed(/KIOSK-GEPREK-01\s+kiosk\s+\S+\s+(\S+)/, 'pairing code for KIOSK-GEPREK-01')[1]!,
    hq: (([, name, password]) => ({ name: name!, password: password! }))(printed(/HQ login\s+(\S+) \/ (\S+)/, 'HQ login')),
  };
  expect(output).toContain(storeCouch ? 'Apache CouchDB (configured)' : 'PouchDB Server (embedded)');
});

test.afterAll(async () => {
  if (child?.pid && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** The order as central's database server holds it, read with the server admin. */
async function orderAtCentral(number: string): Promise<unknown> {
  const res = await fetch(`${started.centralCouch.replace(/\/\/[^@]*@/, '//')}/lapak_yogya_bsd_ops/_all_docs?include_docs=true`, {
    headers: { accept: 'application/json', authorization: 'Basic ' + btoa(`${ADMIN.username}:${ADMIN.password}`) },
  });
  const body = (await res.json()) as { rows?: { doc: { type?: string; number?: string } }[] };
  return body.rows?.find((r) => r.doc.type === 'order' && r.doc.number === number) ?? null;
}

test('a kiosk pairs with a printed code, takes an order, and the order reaches central', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(started.setupUrl);
  await page.getByRole('button', { name: /Lanjut/ }).click();
  await page.getByRole('button', { name: '80 mm' }).click();
  await page.getByRole('button', { name: 'Pasang terminal' }).click();
  await expect(page.getByText('Pemasangan selesai')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: /Mulai/ }).click();
  // The menu it orders from is central's catalog, replicated down to the store and on to the tablet.
  await expect(page.getByTestId('kiosk-welcome')).toBeVisible({ timeout: 60_000 });
  const number = await kioskOrder(page, { name: 'Demo' });
  await expect.poll(() => orderAtCentral(number), { timeout: 60_000 }).not.toBeNull();
});

test('HQ signs in at central and sees the store', async ({ page }) => {
  await page.goto(`${started.centralUrl}/hq`);
  await page.getByLabel('Nama pengguna').fill(started.hq.name);
  await page.getByLabel('Kata sandi').fill(started.hq.password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page.getByText('Yogya BSD')).toBeVisible({ timeout: 30_000 });
});

test('every screen of the store is served', async ({ page }) => {
  for (const path of ['/kiosk', '/cashier', '/kitchen', '/board', '/setup']) {
    const res = await page.goto(`${started.storeUrl}${path}`);
    expect(res?.status(), path).toBe(200);
    await expect(page.locator('#app')).not.toBeEmpty();
  }
});
