// Kiosk-to-kitchen latency: how long from an order being committed on a kiosk page until its
// ticket is in the DOM of a kitchen display page, in real Chromium pages, for
//   1. lapak         the real app: local PouchDB write on the kiosk, live replication
//                    kiosk -> store server -> kitchen, the kitchen display renders it;
//   2. seeds-design  the kiosk POSTs to a small Node server that PUTs the order into the
//                    store CouchDB (admin, awaited) and broadcasts it over a WebSocket;
//   3. ws-floor      a bare WebSocket relay, no storage;
// plus a Node-to-Node reference (two PouchDB replicas in Node syncing through the gateway).
// Same browser, same two pages (one browser context per device), same pace. Prints figures;
// asserts nothing. Usage: npx tsx bench/kiosk-to-kitchen.ts [--orders 200] [--interval 150]
// [--warmup 5] [--build] [--plain] [--only lapak,seeds,floor,node]. See bench/README.md.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { LapakConfig } from '../couch/config';
import { throwawayConfig } from '../couch/testing/test-config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { startStack, WEB_DIST, type Stack } from '../couch/stack';
import { freePort } from '../couch/testing/free-port';
import { dbName, userName } from '../design-docs/lib/names';
import type { Order } from '../design-docs/lib/types';
import { order, type TerminalSpec } from '../design-docs/testing/fixtures';
import { nanoAdmin } from '../scripts/lib/nano-admin';
import { seedDemo } from '../scripts/lib/demo-seed';
import { targetsFromConfig } from '../scripts/lib/targets';
import { unassignTerminal } from '../scripts/lib/unassign';
import { startBaselineServer, type BaselineServer } from './k2k-baseline-server';
import { nodeReference } from './k2k-node-replicas';
import { ms, ratio, summarize, table, type Row, type Summary } from './k2k-stats';
import { watchStore } from './k2k-store-watch';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TENANT = 'yogya';
const STORE = 'bsd';
const KIOSK = { code: 'KIOSK-GEPREK-01', brand: 'AYAMGEPREK' };
const KITCHEN = { code: 'KITCHEN-GEPREK', brand: 'AYAMGEPREK' };
/** The Node reference writes as a cashier (kitchens cannot write orders) and reads as another terminal. */
const NODE_WRITER = { code: 'KASIR-GEPREK-01', brand: 'AYAMGEPREK' };
const NODE_READER = { code: 'KASIR-MIE-01' };
/** How long after the last order a missing ticket still counts as late rather than lost. */
const SEEN_GRACE_MS = 15_000;
const WATCHDOG_MS = 6 * 60_000;
const SETUPS = ['lapak', 'seeds', 'floor', 'node'] as const;
type Setup = (typeof SETUPS)[number];

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
const log = (line: string) => console.error(`[bench] ${line}`);

// ---- in-page code (plain JavaScript strings: the node tsconfig has no DOM types) ----

/**
 * Installed in the kitchen context before any page script: records, per order number, the
 * first time an element [data-testid="ticket"][data-number] is in the DOM (epoch ms, sub-ms).
 * MutationObserver callbacks run as a microtask right after the DOM change, before paint.
 */
const KITCHEN_OBSERVER = `(() => {
  const seen = Object.create(null);
  window.__kitchenSeen = seen;
  const SEL = '[data-testid="ticket"][data-number]';
  const mark = (el, at) => { const n = el.getAttribute('data-number'); if (n && !(n in seen)) seen[n] = at; };
  const scan = (node, at) => {
    if (node.nodeType !== 1) return;
    if (node.matches(SEL)) mark(node, at);
    for (const el of node.querySelectorAll(SEL)) mark(el, at);
  };
  new MutationObserver((records) => {
    const at = performance.timeOrigin + performance.now();
    for (const r of records) {
      if (r.type === 'attributes') { if (r.target.nodeType === 1 && r.target.matches(SEL)) mark(r.target, at); }
      else for (const n of r.addedNodes) scan(n, at);
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-number', 'data-testid'] });
})();`;

/**
 * Installed in the kitchen context for the Lapak split only (not with --plain): when an HTTP
 * response carrying an order number had fully reached the page (the pull replication's fetches).
 */
const KITCHEN_PROBE = `(() => {
  performance.setResourceTimingBufferSize(100000);
  const received = Object.create(null);
  // order id -> when a _changes answer naming it had arrived, and when a _bulk_get asking for it was sent
  const changed = Object.create(null);
  const asked = Object.create(null);
  window.__kitchenReceived = received;
  window.__kitchenChanged = changed;
  window.__kitchenAsked = asked;
  const ids = (text, into, at) => { for (const m of text.matchAll(/"(order:[0-9a-f-]{36})"/g)) if (!(m[1] in into)) into[m[1]] = at; };
  const fetch0 = window.fetch;
  window.fetch = function (...args) {
    const url = String(args[0] && args[0].url ? args[0].url : args[0]);
    const body = args[1] && args[1].body;
    if (typeof body === 'string' && url.includes('/_bulk_get')) ids(body, asked, performance.timeOrigin + performance.now());
    const p = fetch0.apply(this, args);
    p.then((res) => res.clone().text()).then((text) => {
      const at = performance.timeOrigin + performance.now();
      if (url.includes('/_changes')) ids(text, changed, at);
      for (const m of text.matchAll(/"number":"([A-Z0-9]{1,6}-[0-9]{1,6})"/g)) if (!(m[1] in received)) received[m[1]] = at;
    }).catch(() => {});
    return p;
  };
})();`;

/**
 * Installed in the kiosk context for the Lapak split only (not with --plain): when the page
 * first sent an HTTP request whose body carries an order number (the push's _bulk_docs).
 */
const KIOSK_PROBE = `(() => {
  performance.setResourceTimingBufferSize(100000);
  const sent = Object.create(null);
  // order id -> order number (from the _bulk_docs bodies), and when a _revs_diff naming the id was sent
  const numbers = Object.create(null);
  const diffed = Object.create(null);
  window.__kioskSent = sent;
  window.__kioskNumbers = numbers;
  window.__kioskDiffed = diffed;
  const fetch0 = window.fetch;
  window.fetch = function (...args) {
    const url = String(args[0] && args[0].url ? args[0].url : args[0]);
    const body = args[1] && args[1].body;
    if (typeof body === 'string') {
      const at = performance.timeOrigin + performance.now();
      for (const m of body.matchAll(/"number":"([A-Z0-9]{1,6}-[0-9]{1,6})"/g)) if (!(m[1] in sent)) sent[m[1]] = at;
      if (url.includes('/_bulk_docs')) for (const d of JSON.parse(body).docs || []) if (d.number) numbers[d._id] = d.number;
      if (url.includes('/_revs_diff')) for (const m of body.matchAll(/"(order:[0-9a-f-]{36})"/g)) if (!(m[1] in diffed)) diffed[m[1]] = at;
    }
    return fetch0.apply(this, args);
  };
})();`;

/**
 * Runs in the kiosk page: places orders one at a time on a steady schedule (order i is due at
 * start + i * interval, or as soon as order i-1 returns if that is later) and returns each
 * number and commit time.
 */
const PLACE_LOOP = `async ({ kind, count, orders, interval }) => {
  const out = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = start + i * interval - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const calledAt = performance.timeOrigin + performance.now();
    const r = kind === 'lapak' ? await window.__lapakBench.placeOrder() : await window.__baseline.placeOrder(orders[i]);
    out.push({ number: r.number, committedAt: r.committedAt, calledAt });
  }
  return out;
}`;

const NOW_IN_PAGE = 'performance.timeOrigin + performance.now()';

/**
 * The page's finished requests to the store database (Resource Timing), by kind: how long each
 * waited in the browser before it was sent (no free connection: Chromium keeps at most six
 * HTTP/1.1 connections per origin, and live longpolls hold some) and how long the answer took.
 */
const DB_REQUESTS = `(() => {
  const kinds = {};
  for (const e of performance.getEntriesByType('resource')) {
    const path = new URL(e.name).pathname;
    if (!path.startsWith('/db/')) continue;
    const db = (path.split('/')[2] || '(server)').replace(/^lapak_[a-z0-9-]+_/, '');
    const what = (path.match(/\\/(_changes|_revs_diff|_bulk_docs|_bulk_get|_all_docs|_local)/) || [null, 'other'])[1];
    const k = db + ' ' + what;
    (kinds[k] ||= []).push([e.requestStart > 0 ? e.requestStart - e.startTime : NaN, e.responseEnd - (e.requestStart || e.startTime)]);
  }
  return kinds;
})()`;

interface Placed {
  number: string;
  committedAt: number;
  /** when the loop called placeOrder (Lapak: committedAt - calledAt is how long placeOrder took) */
  calledAt: number;
}

async function placeInPage(
  page: Page,
  kind: 'lapak' | 'baseline',
  count: number,
  interval: number,
  orders: Order[] = [],
): Promise<Placed[]> {
  const arg = JSON.stringify({ kind, count, orders, interval });
  return (await page.evaluate(`(${PLACE_LOOP})(${arg})`)) as Placed[];
}

/** Polls the kitchen page until every number has been seen or the deadline passes; returns what was seen. */
async function waitSeen(kitchen: Page, numbers: string[], timeoutMs: number): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = (await kitchen.evaluate('window.__kitchenSeen || {}')) as Record<string, number>;
    if (numbers.every((n) => n in seen) || Date.now() > deadline) return seen;
    await sleep(100);
  }
}

/**
 * Each page's clock (performance.timeOrigin + performance.now()) relative to this process's,
 * from the round trip with the smallest delay. Shows how far apart the two renderer
 * processes' clocks are (a sanity check on the method, not a correction), and places the
 * store server's arrival times (taken in this process) on the pages' clocks.
 */
async function pageClocks(kiosk: Page, kitchen: Page): Promise<Clocks> {
  const probe = async (page: Page) => {
    let best = { offset: 0, rtt: Infinity };
    for (let i = 0; i < 15; i++) {
      const t0 = performance.timeOrigin + performance.now();
      const t = (await page.evaluate(NOW_IN_PAGE)) as number;
      const t1 = performance.timeOrigin + performance.now();
      if (t1 - t0 < best.rtt) best = { offset: t - (t0 + t1) / 2, rtt: t1 - t0 };
    }
    return best;
  };
  const a = await probe(kiosk);
  const b = await probe(kitchen);
  return { kiosk: a.offset, kitchen: b.offset, error: (a.rtt + b.rtt) / 2 };
}

interface Clocks {
  /** page clock minus this process's clock, ms */
  kiosk: number;
  kitchen: number;
  /** half the probes' round trips: how precise the offsets are */
  error: number;
}

interface Measured {
  summary: Summary;
  clocks: Clocks;
  placed: Placed[];
  seen: Record<string, number>;
  /** share of the measured run's wall time each page's main thread spent running tasks (0..1) */
  busy?: { kiosk: number; kitchen: number };
}

/**
 * Main-thread load of a page: DevTools' Performance.getMetrics TaskDuration (seconds of tasks
 * run so far). Returns a function that gives the busy share of wall time since the call.
 */
async function busyMeter(page: Page): Promise<() => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
  };
  const t0 = performance.now();
  const task0 = await read();
  return async () => {
    const share = ((await read()) - task0) / ((performance.now() - t0) / 1000);
    await cdp.detach().catch(() => {});
    return share;
  };
}

/** Warm-up (not counted), then the measured orders at a steady pace; latency = kitchen seen - kiosk committed. */
async function measure(
  kiosk: Page,
  kitchen: Page,
  kind: 'lapak' | 'baseline',
  o: { count: number; warmup: number; interval: number; warmupOrders?: Order[]; orders?: Order[] },
): Promise<Measured> {
  if (o.warmup > 0) {
    const warm = await placeInPage(kiosk, kind, o.warmup, o.interval, o.warmupOrders);
    await waitSeen(
      kitchen,
      warm.map((p) => p.number),
      SEEN_GRACE_MS,
    );
    await sleep(500);
  }
  const clocks = await pageClocks(kiosk, kitchen);
  await Promise.all([kiosk.evaluate('performance.clearResourceTimings()'), kitchen.evaluate('performance.clearResourceTimings()')]);
  const [kioskBusy, kitchenBusy] = await Promise.all([busyMeter(kiosk), busyMeter(kitchen)]);
  const placed = await placeInPage(kiosk, kind, o.count, o.interval, o.orders);
  const seen = await waitSeen(
    kitchen,
    placed.map((p) => p.number),
    SEEN_GRACE_MS,
  );
  const busy = { kiosk: await kioskBusy(), kitchen: await kitchenBusy() };
  const latencies = placed.filter((p) => p.number in seen).map((p) => seen[p.number]! - p.committedAt);
  return { summary: summarize(latencies, placed.length - latencies.length), clocks, placed, seen, busy };
}

function clockNote(m: Measured): string {
  const d = m.clocks.kitchen - m.clocks.kiosk;
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  const busy = m.busy ? `; main thread busy: kiosk ${pct(m.busy.kiosk)}, kitchen ${pct(m.busy.kitchen)}` : '';
  return `page clocks kitchen-kiosk ${d >= 0 ? '+' : ''}${d.toFixed(2)} ms (probe ±${m.clocks.error.toFixed(2)} ms)${busy}`;
}

/** Where Lapak's time goes: kiosk -> store server -> kitchen page has the document -> ticket in the DOM. */
async function lapakSplit(m: Measured, arrivals: Map<string, number> | null, kiosk: Page, kitchen: Page): Promise<string> {
  const sent = (await kiosk.evaluate('window.__kioskSent || {}')) as Record<string, number>;
  const received = (await kitchen.evaluate('window.__kitchenReceived || {}')) as Record<string, number>;
  const byId = async (page: Page, name: string) => (await page.evaluate(`window.${name} || {}`)) as Record<string, number>;
  // The finer stages are kept by document id; the kiosk's _bulk_docs bodies tell which number each id has.
  const idOf = new Map(
    Object.entries((await kiosk.evaluate('window.__kioskNumbers || {}')) as Record<string, string>).map(([id, n]) => [n, id]),
  );
  const [diffed, changed, asked] = await Promise.all([
    byId(kiosk, '__kioskDiffed'),
    byId(kitchen, '__kitchenChanged'),
    byId(kitchen, '__kitchenAsked'),
  ]);
  const toSend: number[] = [];
  const toDiff: number[] = [];
  const diffToSend: number[] = [];
  const sendToStore: number[] = [];
  const toStore: number[] = [];
  const storeToPage: number[] = [];
  const storeToChanges: number[] = [];
  const changesToAsk: number[] = [];
  const askToGot: number[] = [];
  const pageToDom: number[] = [];
  for (const p of m.placed) {
    const atStore = arrivals?.get(p.number);
    const got = received[p.number];
    const shown = m.seen[p.number];
    const out = sent[p.number];
    const id = idOf.get(p.number);
    const diff = id === undefined ? undefined : diffed[id];
    const change = id === undefined ? undefined : changed[id];
    const ask = id === undefined ? undefined : asked[id];
    if (out !== undefined) toSend.push(out - p.committedAt);
    if (diff !== undefined) toDiff.push(diff - p.committedAt);
    if (diff !== undefined && out !== undefined) diffToSend.push(out - diff);
    if (out !== undefined && atStore !== undefined) sendToStore.push(atStore + m.clocks.kiosk - out);
    if (atStore !== undefined) toStore.push(atStore + m.clocks.kiosk - p.committedAt);
    if (atStore !== undefined && got !== undefined) storeToPage.push(got - (atStore + m.clocks.kitchen));
    if (atStore !== undefined && change !== undefined) storeToChanges.push(change - (atStore + m.clocks.kitchen));
    if (change !== undefined && ask !== undefined) changesToAsk.push(ask - change);
    if (ask !== undefined && got !== undefined) askToGot.push(got - ask);
    if (got !== undefined && shown !== undefined) pageToDom.push(shown - got);
  }
  const f = (xs: number[]) => {
    const x = summarize(xs);
    return `${ms(x.p50)} / ${ms(x.p95)} (n ${x.n})`;
  };
  // Tickets pile up on the display (none is bumped): does the latency grow with them?
  const shown = m.placed.filter((p) => p.number in m.seen).map((p) => m.seen[p.number]! - p.committedAt);
  const quarters = [0, 1, 2, 3].map((q) => summarize(shown.slice((q * shown.length) / 4, ((q + 1) * shown.length) / 4)));
  const requests = async (page: Page, who: string) =>
    Object.entries((await page.evaluate(DB_REQUESTS)) as Record<string, [number, number][]>)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, rows]) => {
        const queued = summarize(rows.map((r) => r[0]).filter((x) => Number.isFinite(x)));
        const answer = summarize(rows.map((r) => r[1]));
        return `  ${`${who} ${kind}`.padEnd(28)} ${String(rows.length).padStart(5)}   queued ${ms(queued.p50)} / ${ms(queued.p95)}   answer ${ms(answer.p50)} / ${ms(answer.p95)}`;
      });
  const http = arrivals
    ? [
        'lapak HTTP requests to the store during the measured run (finished ones), count, p50 / p95 ms:',
        ...(await requests(kiosk, 'kiosk')),
        ...(await requests(kitchen, 'kitchen')),
      ]
    : [];
  const lines = [
    `lapak by quarter of the run (open tickets accumulate), p50 / p95 ms: ${quarters.map((x) => `${ms(x.p50)} / ${ms(x.p95)}`).join(', ')}`,
    `lapak __lapakBench.placeOrder() call -> its committedAt, p50 / p95 ms: ${f(m.placed.map((p) => p.committedAt - p.calledAt))}`,
    'lapak split, p50 / p95 ms:',
    `  kiosk commit -> store server _changes         ${f(toStore)}`,
    `    commit -> kiosk sends it (_bulk_docs)        ${f(toSend)}`,
    `      commit -> kiosk asks _revs_diff             ${f(toDiff)}`,
    `      _revs_diff sent -> _bulk_docs sent          ${f(diffToSend)}`,
    `    _bulk_docs sent -> store server _changes     ${f(sendToStore)}`,
    `  store server -> kitchen page has the document  ${f(storeToPage)}`,
    `    store server -> kitchen _changes answer      ${f(storeToChanges)}`,
    `    _changes answer -> kitchen asks _bulk_get    ${f(changesToAsk)}`,
    `    _bulk_get sent -> its answer has arrived     ${f(askToGot)}`,
    `  kitchen page has it -> ticket in the DOM       ${f(pageToDom)}`,
  ];
  return (arrivals ? [...lines, ...http] : lines.slice(0, 2)).join('\n');
}

// ---- the real app ----

async function pairThroughWizard(page: Page, storeUrl: string, terminal: { code: string; brand: string }, code: string): Promise<void> {
  await page.goto(`${storeUrl}/setup?brand=${terminal.brand}&terminal=${terminal.code}&code=${code}`);
  await page.waitForFunction(
    `(() => { const el = document.querySelector('[data-testid="registry-type"]'); return !!el && !/^—/.test((el.textContent || '').trim()); })()`,
    undefined,
    { timeout: 30_000 },
  );
  await page.getByRole('button', { name: /Lanjut/ }).click();
  await page.getByRole('button', { name: '80 mm' }).click();
  await page.getByRole('button', { name: 'Pasang terminal' }).click();
  await page.getByText('Pemasangan selesai').waitFor({ timeout: 30_000 });
  const done = (await page.getByTestId('done-terminal').textContent()) ?? '';
  if (!done.includes(terminal.code)) throw new Error(`pairing ${terminal.code}: the wizard finished as "${done.trim()}"`);
  await page.getByRole('button', { name: /Mulai/ }).click();
}

/** One order through the kiosk's real UI, as in e2e/terminal.ts; returns its number. */
async function kioskOrderThroughUi(page: Page): Promise<string> {
  await page.getByTestId('kiosk-welcome').click();
  await page.locator('[data-testid^="product-"]:not([disabled])').first().click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /Tambah ke pesanan/ })
    .click();
  await page.getByRole('button', { name: /Pesan sekarang/ }).click();
  await page.getByRole('button', { name: /Makan di sini/ }).click();
  await page.getByLabel(/Nama Anda/).fill('Rina');
  await page.getByRole('button', { name: 'Kirim pesanan' }).click();
  const number = page.getByTestId('order-number');
  await number.waitFor({ timeout: 30_000 });
  return ((await number.textContent()) ?? '').trim();
}

async function measureLapak(
  kiosk: Page,
  kitchen: Page,
  storeUrl: string,
  o: { count: number; warmup: number; interval: number },
): Promise<Measured | string> {
  await kitchen.goto(`${storeUrl}/kitchen`);
  await kiosk.goto(`${storeUrl}/kiosk?bench=1`);
  let uiNumber: string;
  try {
    uiNumber = await kioskOrderThroughUi(kiosk);
  } catch (e) {
    return `the warm-up order through the kiosk UI failed: ${(e as Error).message.split('\n')[0]}`;
  }
  log(`lapak: warm-up order ${uiNumber} placed through the kiosk UI; waiting for its ticket on the kitchen display`);
  const seen = await waitSeen(kitchen, [uiNumber], 20_000);
  if (!(uiNumber in seen)) {
    const where = new URL(kitchen.url()).pathname;
    return `no [data-testid="ticket"][data-number="${uiNumber}"] on the kitchen display within 20 s (the kitchen page is at ${where}): the kitchen display contract is not in this build`;
  }
  const hasHelper = await kiosk
    .waitForFunction(`typeof window.__lapakBench?.placeOrder === 'function'`, undefined, { timeout: 10_000 })
    .then(() => true)
    .catch(() => false);
  if (!hasHelper) return `window.__lapakBench.placeOrder is missing on ${storeUrl}/kiosk?bench=1: the bench helper is not in this build`;
  return measure(kiosk, kitchen, 'lapak', o);
}

// ---- orchestration ----

function deviceId(): string {
  return `dev_${randomBytes(6).toString('hex')}`;
}

function ordersFor(spec: TerminalSpec, prefix: string, n: number): Order[] {
  const device_id = deviceId();
  return Array.from({ length: n }, (_, i) =>
    order(spec, { number: `${prefix}-${String(i + 1).padStart(4, '0')}`, device_id, created_at: new Date().toISOString() }),
  );
}

function options() {
  const { values } = parseArgs({
    options: {
      orders: { type: 'string', default: '200' },
      interval: { type: 'string', default: '150' },
      warmup: { type: 'string', default: '5' },
      build: { type: 'boolean', default: false },
      plain: { type: 'boolean', default: false },
      only: { type: 'string', default: SETUPS.join(',') },
    },
  });
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min} (got ${v})`);
    return n;
  };
  return {
    count: int('orders', values.orders!, 1),
    interval: int('interval', values.interval!, 1),
    warmup: int('warmup', values.warmup!, 0),
    build: values.build!,
    plain: values.plain!,
    only: new Set(
      values.only!.split(',').map((x) => {
        const name = x.trim() as Setup;
        if (!SETUPS.includes(name)) throw new Error(`--only takes a comma list of ${SETUPS.join(', ')} (got ${x})`);
        return name;
      }),
    ),
  };
}

async function main(): Promise<void> {
  const opts = options();
  if (opts.build || !existsSync(join(WEB_DIST, 'index.html'))) {
    log('building the web app (npm run build:web)');
    const built = spawnSync('npm', ['run', 'build:web'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (built.status !== 0) throw new Error('npm run build:web failed');
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'lapak-bench-'));
  const stackLog: string[] = [];
  let stack: Stack | null = null;
  let browser: Browser | null = null;
  let baseline: BaselineServer | null = null;
  const cleanup = async () => {
    // A client still talking to a server that is going away must not crash the report.
    process.on('uncaughtException', (e) => log(`during teardown: ${e.message}`));
    await browser?.close().catch(() => {});
    await baseline?.close().catch(() => {});
    await stack?.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  };
  const watchdog = setTimeout(() => {
    log(`still running after ${WATCHDOG_MS / 1000} s; stopping`);
    void cleanup().finally(() => process.exit(2));
  }, WATCHDOG_MS);
  const interrupted = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    const t0 = Date.now();
    const config: LapakConfig = (await throwawayConfig('bench', 'bench-admin-secret', dataDir)).config;
    stack = await startStack(config, (line) => stackLog.push(line));
    const storeUrl = stack.store.gateway.url;
    await seedDemo(targetsFromConfig({ ...config, storePublicUrl: storeUrl, centralPublicUrl: `${stack.central.gateway.url}/db` }), {
      secondTenant: false,
    });
    const storeAdmin = nanoAdmin('store server', config.store);
    const freshCode = async (terminal: string) => (await unassignTerminal(storeAdmin, TENANT, STORE, terminal, storeUrl)).code;
    log(`stack up and demo tenant seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s; store at ${storeUrl}`);

    const results: Record<Setup, Measured | string> = { lapak: 'skipped', seeds: 'skipped', floor: 'skipped', node: 'skipped' };
    const pace = { count: opts.count, warmup: opts.warmup, interval: opts.interval };
    let split = '';
    const inBrowser = opts.only.has('lapak') || opts.only.has('seeds') || opts.only.has('floor');
    if (inBrowser) {
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
      const device = async (): Promise<{ context: BrowserContext; page: Page }> => {
        const context = await browser!.newContext({ locale: 'id-ID', timezoneId: 'Asia/Jakarta', viewport: { width: 1280, height: 800 } });
        return { context, page: await context.newPage() };
      };
      const kioskDevice = await device();
      const kitchenDevice = await device();
      await kitchenDevice.context.addInitScript({ content: KITCHEN_OBSERVER });
      if (!opts.plain) {
        await kitchenDevice.context.addInitScript({ content: KITCHEN_PROBE });
        await kioskDevice.context.addInitScript({ content: KIOSK_PROBE });
      }
      const kiosk = kioskDevice.page;
      const kitchen = kitchenDevice.page;
      await pairThroughWizard(kiosk, storeUrl, KIOSK, await freshCode(KIOSK.code));
      await pairThroughWizard(kitchen, storeUrl, KITCHEN, await freshCode(KITCHEN.code));
      log('kiosk and kitchen display paired through the setup wizard');

      if (opts.only.has('lapak')) {
        log(`lapak: ${opts.count} orders, one every ${opts.interval} ms`);
        const storeWatch = opts.plain ? null : await watchStore(config.store, dbName.ops(TENANT, STORE));
        try {
          results.lapak = await measureLapak(kiosk, kitchen, storeUrl, pace);
          if (typeof results.lapak === 'string') log(`lapak: not measured: ${results.lapak}`);
          else split = await lapakSplit(results.lapak, storeWatch?.arrivals ?? null, kiosk, kitchen);
        } finally {
          storeWatch?.stop();
        }
      }

      // The same orders (same JSON bodies) for both baselines, written as the kiosk terminal would.
      const kioskSpec: TerminalSpec = { tenant: TENANT, store: STORE, code: KIOSK.code, type: 'kiosk', brand: KIOSK.brand };
      const all = ordersFor(kioskSpec, 'B1', opts.warmup + opts.count);
      const baselineOrders = { warmupOrders: all.slice(0, opts.warmup), orders: all.slice(opts.warmup) };
      baseline = await startBaselineServer({ port: await freePort(), couch: config.store, db: dbName.ops(TENANT, STORE) });
      for (const mode of (['seeds', 'floor'] as const).filter((m) => opts.only.has(m))) {
        log(`${mode === 'seeds' ? 'seeds-design' : 'ws-floor'}: ${opts.count} orders, one every ${opts.interval} ms`);
        await kitchen.goto(`${baseline.url}/kitchen?mode=${mode}`);
        await kiosk.goto(`${baseline.url}/kiosk?mode=${mode}`);
        await Promise.all([kitchen.evaluate('window.__baselineReady'), kiosk.evaluate('window.__baselineReady')]);
        results[mode] = await measure(kiosk, kitchen, 'baseline', { ...pace, ...baselineOrders });
      }
      await browser.close();
      browser = null;
    }

    if (opts.only.has('node')) {
      log(`node-to-node reference: ${opts.count} orders, one every ${opts.interval} ms`);
      const writerSpec: TerminalSpec = { tenant: TENANT, store: STORE, code: NODE_WRITER.code, type: 'cashier', brand: NODE_WRITER.brand };
      const nodeOrders = ordersFor(writerSpec, 'R1', opts.warmup + opts.count);
      const nodeDir = join(dataDir, 'node-replicas');
      mkdirSync(nodeDir);
      const node = await nodeReference({
        remoteUrl: `${storeUrl}/db/${dbName.ops(TENANT, STORE)}`,
        dir: nodeDir,
        writer: { username: userName.terminal(TENANT, STORE, NODE_WRITER.code), password: await freshCode(NODE_WRITER.code) },
        reader: { username: userName.terminal(TENANT, STORE, NODE_READER.code), password: await freshCode(NODE_READER.code) },
        warmup: nodeOrders.slice(0, opts.warmup),
        orders: nodeOrders.slice(opts.warmup),
        intervalMs: opts.interval,
      });
      results.node = { summary: summarize(node.latencies, node.lost), clocks: { kiosk: 0, kitchen: 0, error: 0 }, placed: [], seen: {} };
    }

    report(results, split, opts, (Date.now() - t0) / 1000);
  } catch (e) {
    if (stackLog.length) log(`last server log lines:\n${stackLog.slice(-20).join('\n')}`);
    throw e;
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

function report(
  results: Record<Setup, Measured | string>,
  split: string,
  opts: { count: number; interval: number; warmup: number },
  seconds: number,
): void {
  const row = (label: string, r: Measured | string, clock = true): Row =>
    typeof r === 'string'
      ? { label, summary: null, note: `not measured: ${r}` }
      : { label, summary: r.summary, note: clock ? clockNote(r) : undefined };
  const s = (r: Measured | string) => (typeof r === 'string' ? undefined : r.summary);
  const lapak = s(results.lapak);
  const seeds = s(results.seeds);
  const floor = s(results.floor);
  const node = s(results.node);
  const fig = (x: Summary | undefined) => (x ? `p50 ${ms(x.p50)} ms p95 ${ms(x.p95)} ms` : 'n/a');

  console.log('');
  console.log(
    `kiosk-to-kitchen latency: ${opts.count} orders per setup, one every ${opts.interval} ms, after ${opts.warmup} warm-up orders (not counted)`,
  );
  console.log('(commit on the kiosk page -> ticket element in the kitchen page DOM; node reference: put resolved -> local changes feed)');
  console.log('');
  console.log(
    table([
      row('lapak (PouchDB live sync)', results.lapak),
      row('seeds-design (POST, PUT, WS)', results.seeds),
      row('ws-floor (WS relay only)', results.floor),
      row('node-to-node PouchDB reference', results.node, false),
    ]),
  );
  if (split) console.log(`\n${split}`);
  console.log('');
  console.log(`ratio p50: lapak/seeds-design ${ratio(lapak?.p50, seeds?.p50)}, lapak/ws-floor ${ratio(lapak?.p50, floor?.p50)}`);
  console.log(`ratio p95: lapak/seeds-design ${ratio(lapak?.p95, seeds?.p95)}, lapak/ws-floor ${ratio(lapak?.p95, floor?.p95)}`);
  console.log(`target lapak p95 < 150 ms: ${lapak ? (lapak.p95 < 150 ? 'met' : 'not met') : 'n/a'}   (whole run ${seconds.toFixed(0)} s)`);
  console.log('');
  console.log(
    `kiosk-to-kitchen: lapak ${fig(lapak)} | seeds-design ${fig(seeds)} | ws-floor ${fig(floor)} | node-ref ${fig(node)} | ` +
      `ratio p95 lapak/seeds ${ratio(lapak?.p95, seeds?.p95)}, lapak/floor ${ratio(lapak?.p95, floor?.p95)}`,
  );
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(e.stack ?? e.message);
    process.exit(1);
  },
);
