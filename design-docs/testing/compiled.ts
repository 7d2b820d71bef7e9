// The compiled validate function of one kind of database, loaded from its source text.
import { buildDesignDocs } from '../build';
import type { DbKind } from '../lib/names';
import { loadMap, loadValidate, type ValidateFn } from '../sandbox';

export async function compiledValidate(kind: DbKind | 'users'): Promise<ValidateFn> {
  const ddoc = (await buildDesignDocs())[kind].find((d) => d._id === '_design/lapak');
  if (!ddoc?.validate_doc_update) throw new Error(`no validate_doc_update for ${kind}`);
  return loadValidate(ddoc.validate_doc_update);
}

export async function compiledMap(kind: DbKind, view: string, ddocName = 'lapak') {
  const ddoc = (await buildDesignDocs())[kind].find((d) => d._id === `_design/${ddocName}`);
  const v = ddoc?.views?.[view];
  if (!v || typeof v.map !== 'string') throw new Error(`no map for ${kind}/${view}`);
  return loadMap(v.map);
}
