// The design documents, prebuilt: the browser cannot compile TypeScript with esbuild as the
// CLI does, so `npm run build` runs build:ddocs (design-docs/dist/design-docs.json) before
// build:web, and the page loads that file as a chunk of its own.
import type { DesignDocSet } from '../../../../design-docs/lib/ddoc-types';
import { ProvisionError } from '../../../../scripts/lib/steps';

// A glob rather than an import: a checkout that has not run build:ddocs still type-checks and builds.
const prebuilt = import.meta.glob<DesignDocSet>('../../../../design-docs/dist/design-docs.json', { import: 'default' });

export async function loadDesignDocs(): Promise<DesignDocSet> {
  const load = Object.values(prebuilt)[0];
  if (!load)
    throw new ProvisionError(
      'This build of the web app has no design documents. Build it with `npm run build`, which compiles them (build:ddocs) before the app.',
    );
  return load();
}
