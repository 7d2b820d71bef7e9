// Compiles the design-document tree (<db kind>/<ddoc>/validate_doc_update.ts,
// views/<view>/map.ts, views/<view>/reduce.txt, filters/<name>/filter.ts, indexes.ts) into the JSON design documents
// that CouchDB 3.x and PouchDB Server run: each function is bundled into one self-contained
// `function (...) {...}` with no modules and no require.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { DesignDoc, DesignDocSet, MangoIndex, ViewSource } from './lib/ddoc-types';

const ROOT = fileURLToPath(new URL('.', import.meta.url));
export const DB_KINDS = ['catalog', 'directory', 'public', 'ops', 'control', 'hq', 'users'] as const;

/**
 * Bundles one TypeScript function module into a function expression. CouchDB 3.x takes a
 * source that starts with `function` and ends with `}` as is; anything else goes through
 * its ES2017 parser, so the output is kept to ES2017 as well.
 */
export async function compileFunction(file: string, params: string[]): Promise<string> {
  const result = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'lapakModule',
    target: 'es2017',
    platform: 'neutral',
    legalComments: 'none',
    charset: 'utf8',
  });
  const body = result.outputFiles[0]!.text.trim();
  const args = params.join(', ');
  return `function (${args}) {\n${body}\nreturn lapakModule.default(${args});\n}`;
}

function subdirs(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
}

async function compileViews(dir: string): Promise<Record<string, ViewSource>> {
  const views: Record<string, ViewSource> = {};
  for (const name of subdirs(dir)) {
    const view: ViewSource = { map: await compileFunction(join(dir, name, 'map.ts'), ['doc']) };
    const builtin = join(dir, name, 'reduce.txt');
    if (existsSync(builtin)) view.reduce = readFileSync(builtin, 'utf8').trim();
    views[name] = view;
  }
  return views;
}

async function compileFilters(dir: string): Promise<Record<string, string>> {
  const filters: Record<string, string> = {};
  for (const name of subdirs(dir)) filters[name] = await compileFunction(join(dir, name, 'filter.ts'), ['doc', 'req']);
  return filters;
}

export function mangoDesignDoc(name: string, indexes: MangoIndex[]): DesignDoc {
  const views: DesignDoc['views'] = {};
  for (const idx of indexes) {
    const fields: Record<string, 'asc'> = {};
    for (const f of idx.fields) fields[f] = 'asc';
    views[idx.name] = { map: { fields, partial_filter_selector: {} }, reduce: '_count', options: { def: { fields: idx.fields } } };
  }
  return { _id: `_design/${name}`, language: 'query', views };
}

async function compileDdoc(kindDir: string, name: string): Promise<DesignDoc[]> {
  const dir = join(kindDir, name);
  const ddoc: DesignDoc = { _id: `_design/${name}`, language: 'javascript' };
  const validate = join(dir, 'validate_doc_update.ts');
  if (existsSync(validate)) ddoc.validate_doc_update = await compileFunction(validate, ['newDoc', 'oldDoc', 'userCtx', 'secObj']);
  const filters = await compileFilters(join(dir, 'filters'));
  if (Object.keys(filters).length > 0) ddoc.filters = filters;
  const views = await compileViews(join(dir, 'views'));
  if (Object.keys(views).length > 0) ddoc.views = views;
  const out = [ddoc];
  const indexFile = join(dir, 'indexes.ts');
  if (existsSync(indexFile)) {
    const mod = (await import(pathToFileURL(indexFile).href)) as { default: MangoIndex[] };
    out.push(mangoDesignDoc(`${name}-find`, mod.default));
  }
  return out;
}

let cached: Promise<DesignDocSet> | null = null;

/** All design documents, by kind of database. Built once per process. */
export function buildDesignDocs(): Promise<DesignDocSet> {
  cached ??= (async () => {
    const set = {} as DesignDocSet;
    for (const kind of DB_KINDS) {
      const kindDir = join(ROOT, kind);
      set[kind] = (await Promise.all(subdirs(kindDir).map((name) => compileDdoc(kindDir, name)))).flat();
    }
    return set;
  })();
  return cached;
}
