import type { MangoIndex } from '../../lib/ddoc-types';

const indexes: MangoIndex[] = [{ name: 'by-type-brand', fields: ['type', 'brand'] }];
export default indexes;
