// The demo store of seed 000: YOGYA Group's food court at Yogya BSD, three brands and the
// seven terminals of the seed's topology.
import type { StoreSpec } from '../lib/store-spec';
import { TENANT_NAME, YOGYA_BRANDS } from './yogya-catalog';

export function yogyaBsdSpec(tenant = 'yogya', store = 'bsd'): StoreSpec {
  return {
    tenant: { code: tenant, name: TENANT_NAME },
    store: { code: store, name: 'Yogya BSD', timezone: 'Asia/Jakarta', tax_rate_bp: 1000, service_rate_bp: 0 },
    brands: YOGYA_BRANDS.map((b) => ({ code: b.code, name: b.name, color: b.color })),
    terminals: [
      { code: 'KIOSK-GEPREK-01', name: 'Kiosk Ayam Geprek 1', type: 'kiosk', brand: 'AYAMGEPREK', order_prefix: 'A1' },
      { code: 'KASIR-GEPREK-01', name: 'Kasir Ayam Geprek 1', type: 'cashier', brand: 'AYAMGEPREK', order_prefix: 'A2' },
      { code: 'KITCHEN-GEPREK', name: 'Dapur Ayam Geprek', type: 'kitchen', brand: 'AYAMGEPREK', order_prefix: '' },
      { code: 'KIOSK-NASGR-01', name: 'Kiosk Nasi Goreng 1', type: 'kiosk', brand: 'NASGORENG', order_prefix: 'N1' },
      { code: 'KASIR-NASGR-01', name: 'Kasir Nasi Goreng 1', type: 'cashier', brand: 'NASGORENG', order_prefix: 'N2' },
      { code: 'KIOSK-MIE-01', name: 'Kiosk Mie Ayam 1', type: 'kiosk', brand: 'MIEAYAM', order_prefix: 'M1' },
      { code: 'KASIR-MIE-01', name: 'Kasir Mie Ayam 1', type: 'cashier', brand: 'MIEAYAM', order_prefix: 'M2' },
      // Beyond the seven terminals of the seed: a kitchen display for each brand and the ready board.
      { code: 'KITCHEN-GEPREK-02', name: 'Dapur Ayam Geprek 2', type: 'kitchen', brand: 'AYAMGEPREK', order_prefix: '' },
      { code: 'KITCHEN-NASGR', name: 'Dapur Nasi Goreng', type: 'kitchen', brand: 'NASGORENG', order_prefix: '' },
      { code: 'KITCHEN-MIE', name: 'Dapur Mie Ayam', type: 'kitchen', brand: 'MIEAYAM', order_prefix: '' },
      { code: 'BOARD-01', name: 'Layar Pesanan Siap', type: 'board', brand: 'AYAMGEPREK', order_prefix: '' },
    ],
    storeAdmins: ['manager'],
  };
}
