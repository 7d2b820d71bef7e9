// The store's public directory, read over the network by the setup wizard and the front page
// before the device has an account: which brands and terminals this store has, and which are
// bound. It is a projection the store server writes (lapak_<t>_<s>_public); device ids and
// details stay in the members-only store directory.
import { dbName } from '../../../design-docs/lib/names';
import { observeServerDate } from '../device/clock';
import type { PublicBrand, PublicStore, PublicTerminal } from '../../../design-docs/lib/types';

export interface Site {
  kind: 'store' | 'central';
  tenant: string;
  store: string;
  db: string;
}

export interface Directory {
  store: PublicStore;
  brands: PublicBrand[];
  terminals: PublicTerminal[];
}

export class StoreUnreachable extends Error {}

const SITE_KEY = 'lapak.site';

/** Which store this origin serves; remembered so that the app knows it offline. */
export async function loadSite(): Promise<Site> {
  try {
    const sentAt = Date.now();
    const res = await fetch('/lapak-site.json', { cache: 'no-store' });
    observeServerDate(res.headers.get('date'), sentAt, Date.now());
    if (!res.ok) throw new Error(String(res.status));
    const site = (await res.json()) as Site;
    localStorage.setItem(SITE_KEY, JSON.stringify(site));
    return site;
  } catch {
    const saved = localStorage.getItem(SITE_KEY);
    if (saved) return JSON.parse(saved) as Site;
    throw new StoreUnreachable('the store server is not reachable');
  }
}

export async function fetchDirectory(site: Site): Promise<Directory> {
  let rows: { doc?: Record<string, unknown> }[];
  try {
    const res = await fetch(`${site.db}/${dbName.public(site.tenant, site.store)}/_all_docs?include_docs=true`, { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    rows = ((await res.json()) as { rows: { doc?: Record<string, unknown> }[] }).rows;
  } catch (e) {
    throw new StoreUnreachable((e as Error).message);
  }
  const docs = rows.map((r) => r.doc).filter((d): d is Record<string, unknown> => !!d);
  const byType = <T>(type: string) => docs.filter((d) => d.type === type) as unknown as T[];
  const store = byType<PublicStore>('public_store')[0];
  if (!store) throw new StoreUnreachable('the public store directory has no store document yet');
  return { store, brands: byType<PublicBrand>('public_brand'), terminals: byType<PublicTerminal>('public_terminal') };
}
