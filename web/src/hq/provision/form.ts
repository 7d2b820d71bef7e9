// What the provisioning form holds, how it becomes a StoreSpec (the same description the CLI
// reads), and which of the shared checks (specErrors) belongs next to which field.
import { takesOrders, type TerminalType } from '../../../../design-docs/lib/names';
import { specErrors, type StoreSpec } from '../../../../scripts/lib/store-spec';

export interface BrandRow {
  code: string;
  name: string;
  color: string;
}

export interface TerminalRow {
  code: string;
  type: TerminalType;
  brand: string;
  orderPrefix: string;
}

export interface ServerLogin {
  /** The server's own address as this browser reaches it, e.g. https://store.example:8443; /db is added. */
  url: string;
  username: string;
  password: string;
}

export interface ProvisionForm {
  tenantCode: string;
  tenantName: string;
  storeCode: string;
  storeName: string;
  timezone: string;
  /** Percent as typed ("10", "11,5"); stored as basis points. */
  taxPercent: string;
  servicePercent: string;
  brands: BrandRow[];
  terminals: TerminalRow[];
  /** Store managers' account names, separated by commas or spaces. */
  storeAdmins: string;
  store: ServerLogin;
  central: ServerLogin;
  /** The store server's own CouchDB as its replicator sees it; empty means its public /db address. */
  storeUrlForReplicator: string;
  /** The store's edge relay password (LAPAK_RELAY_PASSWORD on the store server); empty: no relay account. */
  relayPassword: string;
}

export const DEFAULT_TIMEZONE = 'Asia/Jakarta';

export function emptyForm(): ProvisionForm {
  return {
    tenantCode: '',
    tenantName: '',
    storeCode: '',
    storeName: '',
    timezone: DEFAULT_TIMEZONE,
    taxPercent: '10',
    servicePercent: '0',
    brands: [{ code: '', name: '', color: '#b5341c' }],
    terminals: [{ code: '', type: 'kiosk', brand: '', orderPrefix: '' }],
    storeAdmins: '',
    store: { url: '', username: 'admin', password: '' },
    central: { url: '', username: 'admin', password: '' },
    storeUrlForReplicator: '',
    relayPassword: '',
  };
}

export function percentToBp(text: string): number {
  const trimmed = text.trim().replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return Number.NaN;
  return Math.round(Number(trimmed) * 100);
}

export function specOf(form: ProvisionForm): StoreSpec {
  return {
    tenant: { code: form.tenantCode.trim(), name: form.tenantName.trim() },
    store: {
      code: form.storeCode.trim(),
      name: form.storeName.trim(),
      timezone: form.timezone.trim(),
      tax_rate_bp: percentToBp(form.taxPercent),
      service_rate_bp: percentToBp(form.servicePercent),
    },
    brands: form.brands.map((b) => ({ code: b.code.trim(), name: b.name.trim(), ...(b.color ? { color: b.color } : {}) })),
    terminals: form.terminals.map((t) => ({
      code: t.code.trim(),
      name: t.code.trim(),
      type: t.type,
      brand: t.brand,
      order_prefix: takesOrders(t.type) ? t.orderPrefix.trim() : '',
    })),
    storeAdmins: form.storeAdmins.split(/[\s,]+/).filter(Boolean),
  };
}

/** Where a problem is shown: a field name, `brand:<row>`, `terminal:<row>`, or `general`. */
export type ProblemPlace = string;

/** The shared checks' messages, each placed next to the field it is about. */
export function placedProblems(form: ProvisionForm): Map<ProblemPlace, string[]> {
  const spec = specOf(form);
  const out = new Map<ProblemPlace, string[]>();
  const put = (place: ProblemPlace, p: string) => out.set(place, [...(out.get(place) ?? []), p]);
  for (const p of specErrors(spec)) put(placeOf(p, spec), p);
  for (const [place, server] of [
    ['store', form.store],
    ['central', form.central],
  ] as const) {
    if (!isHttpUrl(server.url))
      put(place, `the ${place} server address must start with http:// or https:// (e.g. https://store.example:8443)`);
    if (!server.username || !server.password) put(place, `the ${place} server's admin user name and password are needed`);
  }
  if (form.storeUrlForReplicator && !isHttpUrl(form.storeUrlForReplicator))
    put('storeUrlForReplicator', 'the replicator address must start with http:// or https:// (e.g. http://127.0.0.1:5984)');
  return out;
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

function placeOf(problem: string, spec: StoreSpec): ProblemPlace {
  const simple: [RegExp, ProblemPlace][] = [
    [/^tenant code /, 'tenantCode'],
    [/^tenant name /, 'tenantName'],
    [/^store code /, 'storeCode'],
    [/^store name /, 'storeName'],
    [/^store timezone /, 'timezone'],
    [/^store tax_rate_bp /, 'taxPercent'],
    [/^store service_rate_bp /, 'servicePercent'],
    [/^store admin /, 'storeAdmins'],
    [/^at least one brand/, 'brands'],
  ];
  for (const [re, place] of simple) if (re.test(problem)) return place;
  // Terminals first: their messages also name brands.
  const t = spec.terminals.findIndex((x) => problem.startsWith(`terminal code "${x.code}"`) || problem.startsWith(`terminal ${x.code} `));
  if (t >= 0) return `terminal:${t}`;
  const shared = /^terminals \S+ and (\S+) share/.exec(problem);
  if (shared) return `terminal:${spec.terminals.map((x) => x.code).lastIndexOf(shared[1]!)}`;
  const b = spec.brands.findIndex((x) => problem.startsWith(`brand code "${x.code}"`) || problem.startsWith(`brand ${x.code} `));
  if (b >= 0) return `brand:${b}`;
  return 'general';
}
