// Differences between an existing store and the description being provisioned. Additions
// (a new brand or terminal) are not conflicts; changed values of what exists are.
import { dbName, takesOrders } from '../../design-docs/lib/names';
import type { CouchAdmin } from './couch-admin';
import { getDoc } from './ensure';
import type { StoreSpec } from './store-spec';

type Doc = Record<string, unknown>;

function compare(out: string[], label: string, current: Doc | null, wanted: Doc): void {
  if (!current) return;
  for (const [field, value] of Object.entries(wanted))
    if (current[field] !== value)
      out.push(
        `${label} ${field} is ${JSON.stringify(current[field])} on the store server but ${JSON.stringify(value)} in the description`,
      );
}

export async function findConflicts(server: CouchAdmin, spec: StoreSpec): Promise<string[]> {
  const out: string[] = [];
  const tenant = spec.tenant.code;
  const store = spec.store.code;
  const mine = dbName.directory(tenant, store);
  if ((await server.request('GET', encodeURIComponent(mine))).status === 404) return out;

  const storeDoc = await getDoc<Doc>(server, mine, 'store');
  compare(out, 'store', storeDoc, {
    name: spec.store.name,
    tenant_name: spec.tenant.name,
    timezone: spec.store.timezone,
    tax_rate_bp: spec.store.tax_rate_bp,
    service_rate_bp: spec.store.service_rate_bp,
  });
  for (const b of spec.brands) compare(out, `brand ${b.code}`, await getDoc<Doc>(server, mine, `brand:${b.code}`), { name: b.name });
  for (const t of spec.terminals)
    compare(out, `terminal ${t.code}`, await getDoc<Doc>(server, mine, `terminal:${t.code}`), {
      name: t.name,
      terminal_type: t.type,
      brand: t.brand,
      ...(takesOrders(t.type) ? { order_prefix: t.order_prefix } : {}),
    });
  return out;
}
