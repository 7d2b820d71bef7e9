import type { MangoIndex } from '../../lib/ddoc-types';

// Mango indexes for the app's queries (pouchdb-find on the device, _find on the server).
const indexes: MangoIndex[] = [
  { name: 'by-type-created', fields: ['type', 'created_at'] },
  { name: 'by-type-order', fields: ['type', 'order_id'] },
];
export default indexes;
