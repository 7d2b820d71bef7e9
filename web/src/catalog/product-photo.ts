// A product's photo is its first attachment. Its name and digest tell whether a photo on
// screen is still the current one (HQ may replace it while a screen is open).
import type { Product } from '../../../design-docs/lib/types';

export function productPhoto(p: Product): { name: string; version: string } | null {
  const name = Object.keys(p._attachments ?? {})[0];
  if (!name) return null;
  return { name, version: `${name}:${String((p._attachments![name] as { digest?: string }).digest ?? '')}` };
}
