// scripts/provision-store: create or update a store on its store server and on central.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { TerminalType } from '../design-docs/lib/names';
import { runCli, UsageError } from './lib/cli';
import { formatPairingSheet, formatStep } from './lib/print-result';
import { provisionStore } from './lib/provision';
import type { StoreSpec } from './lib/store-spec';
import { targetsFromConfig } from './lib/targets';

const HELP = `Usage: npm run provision-store -- [options]

Creates or updates a store, idempotently: its databases and _security on the store server
and on central, design documents, the store directory (brands, terminals), one account per
terminal with a one-time pairing code, and continuous replication between store and central.

  --spec FILE              the store as JSON (see docs/provisioning.md); or use the flags below
  --tenant CODE            tenant code, e.g. yogya        --tenant-name NAME  e.g. "YOGYA Group"
  --store CODE             store code, e.g. bsd           --store-name NAME   e.g. "Yogya BSD"
  --timezone TZ            default Asia/Jakarta
  --tax-bp N               tax in basis points, default 1000 (10%)
  --service-bp N           service charge in basis points, default 0
  --brand CODE=NAME        repeatable, e.g. --brand "AYAMGEPREK=Ayam Geprek Boedjangan"
  --terminal CODE:TYPE:BRAND[:PREFIX]
                           repeatable; TYPE is kiosk, cashier, kitchen or waiter;
                           PREFIX starts this terminal's order numbers (e.g. K1)
  --store-admin NAME       repeatable; a store manager account
  --dry-run                show what would change, write nothing
  --update                 apply changed settings of an existing store
  --json                   print the result as JSON

Servers come from the environment (LAPAK_STORE_COUCH_URL, LAPAK_CENTRAL_COUCH_URL,
LAPAK_ADMIN_USER, LAPAK_ADMIN_PASSWORD, LAPAK_CENTRAL_PUBLIC_URL, LAPAK_STORE_PUBLIC_URL)
or lapak.config.json; see README.md.`;

function specFromFlags(v: Record<string, string | string[] | boolean | undefined>): StoreSpec {
  const list = (k: string) => (v[k] as string[] | undefined) ?? [];
  const str = (k: string) => (v[k] as string | undefined) ?? '';
  const int = (k: string, d: number) => {
    const raw = v[k] as string | undefined;
    if (raw === undefined) return d;
    if (!/^\d+$/.test(raw)) throw new UsageError(`--${k} must be a whole number, not "${raw}"`);
    return Number(raw);
  };
  return {
    tenant: { code: str('tenant'), name: str('tenant-name') },
    store: {
      code: str('store'),
      name: str('store-name'),
      timezone: str('timezone') || 'Asia/Jakarta',
      tax_rate_bp: int('tax-bp', 1000),
      service_rate_bp: int('service-bp', 0),
    },
    brands: list('brand').map((b) => {
      const [code, ...name] = b.split('=');
      return { code: code ?? '', name: name.join('=') || (code ?? '') };
    }),
    terminals: list('terminal').map((t) => {
      const [code = '', type = '', brand = '', prefix = ''] = t.split(':');
      return { code, type: type as TerminalType, brand, order_prefix: prefix, name: code };
    }),
    storeAdmins: list('store-admin'),
  };
}

await runCli(async () => {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        spec: { type: 'string' },
        tenant: { type: 'string' },
        'tenant-name': { type: 'string' },
        store: { type: 'string' },
        'store-name': { type: 'string' },
        timezone: { type: 'string' },
        'tax-bp': { type: 'string' },
        'service-bp': { type: 'string' },
        brand: { type: 'string', multiple: true },
        terminal: { type: 'string', multiple: true },
        'store-admin': { type: 'string', multiple: true },
        'dry-run': { type: 'boolean' },
        update: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${HELP}`);
  }
  const v = parsed.values;
  if (v.help) return console.log(HELP);
  let spec: StoreSpec;
  if (v.spec) {
    try {
      spec = JSON.parse(readFileSync(v.spec, 'utf8')) as StoreSpec;
    } catch (e) {
      throw new UsageError(`Cannot read the store description ${v.spec}: ${(e as Error).message}`);
    }
  } else {
    if (!v.tenant && !v.store)
      throw new UsageError(`Describe the store with --spec FILE or with --tenant, --store, --brand and --terminal.\n\n${HELP}`);
    spec = specFromFlags(v);
  }
  const dryRun = v['dry-run'] ?? false;
  if (!v.json) console.log(`${dryRun ? 'Dry run: nothing will be written.\n' : ''}Provisioning ${spec.tenant.code}/${spec.store.code}:`);
  const result = await provisionStore(spec, targetsFromConfig(), {
    dryRun,
    update: v.update ?? false,
    onStep: v.json ? undefined : (s) => console.log(formatStep(s)),
  });
  if (v.json) return console.log(JSON.stringify(result, null, 2));
  console.log(formatPairingSheet(result));
  console.log(
    `\n${dryRun ? 'Dry run finished' : 'Done'}: ${result.steps.filter((s) => s.status !== 'unchanged').length} changes, ${result.steps.filter((s) => s.status === 'unchanged').length} already in place.`,
  );
});
