// Which Lapak server an address is (/lapak-site.json, see couch/gateway/server.ts SiteInfo):
// the page's own server fills in its side of the form, and the other side's answer catches
// a store server that serves a different store than the one being provisioned.
export type SiteInfo = { kind: 'store'; tenant: string; store: string } | { kind: 'central' };

export async function siteAt(origin: string): Promise<SiteInfo | null> {
  try {
    const res = await fetch(new URL('/lapak-site.json', origin), { credentials: 'omit', cache: 'no-store' });
    if (!res.ok) return null;
    const body = (await res.json()) as Partial<SiteInfo>;
    return body.kind === 'store' || body.kind === 'central' ? (body as SiteInfo) : null;
  } catch {
    return null;
  }
}

/** What is wrong with provisioning tenant/store on these servers, or null. */
export function siteMismatch(store: SiteInfo | null, central: SiteInfo | null, tenant: string, storeCode: string): string | null {
  if (store?.kind === 'central')
    return 'The store server address is a central server. Give the address of the store server in the store (its tablets pair with it).';
  if (store?.kind === 'store' && (store.tenant !== tenant || store.store !== storeCode))
    return `The store server at that address serves store ${store.tenant}/${store.store}, so tablets pairing with it would not find ${tenant}/${storeCode}. Use tenant "${store.tenant}" and store code "${store.store}", or the address of the right store server.`;
  if (central?.kind === 'store')
    return `The central server address is a store server (${central.tenant}/${central.store}). Give central's address (HQ).`;
  return null;
}
