export interface MangoIndex {
  name: string;
  fields: string[];
}

export interface ViewSource {
  map: string;
  reduce?: string;
}

export interface MangoView {
  map: { fields: Record<string, 'asc'>; partial_filter_selector: Record<string, never> };
  reduce: '_count';
  options: { def: { fields: string[] } };
}

export interface DesignDoc {
  _id: string;
  _rev?: string;
  language: 'javascript' | 'query';
  validate_doc_update?: string;
  filters?: Record<string, string>;
  views?: Record<string, ViewSource | MangoView>;
}

/** One entry per kind of database: the design documents every database of that kind carries. */
export type DesignDocSet = Record<'catalog' | 'directory' | 'public' | 'ops' | 'control' | 'hq' | 'users', DesignDoc[]>;
