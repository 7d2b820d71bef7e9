// Writes design-docs/dist/design-docs.json for tools that cannot compile TypeScript (the browser's provisioning page).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildDesignDocs } from './build';

const out = fileURLToPath(new URL('./dist/', import.meta.url));
mkdirSync(out, { recursive: true });
const set = await buildDesignDocs();
writeFileSync(`${out}design-docs.json`, JSON.stringify(set, null, 2) + '\n');
const count = Object.values(set).reduce((n, docs) => n + docs.length, 0);
console.log(`design-docs: built ${count} design documents into design-docs/dist/design-docs.json`);
