// Bahasa Indonesia first; English for visitors and HQ staff who prefer it.
export const messages = {
  id: {
    title: 'Server toko',
    central: 'Server pusat (HQ)',
    centralHint: 'Data semua toko direplikasi ke sini. Halaman admin HQ menyusul.',
    brands: 'Brand di toko ini',
    terminals: 'Terminal',
    type: 'Jenis',
    brand: 'Brand',
    device: 'Perangkat',
    notPaired: 'Belum dipasang',
    pairedSince: 'Terpasang sejak',
    loading: 'Memuat…',
    unreachable: 'Server database tidak menjawab. Coba lagi sebentar lagi.',
    kiosk: 'Kiosk',
    cashier: 'Kasir',
    kitchen: 'Dapur',
    waiter: 'Pelayan',
    language: 'English',
  },
  en: {
    title: 'Store server',
    central: 'Central server (HQ)',
    centralHint: 'Every store’s data replicates here. The HQ admin page comes next.',
    brands: 'Brands at this store',
    terminals: 'Terminals',
    type: 'Type',
    brand: 'Brand',
    device: 'Device',
    notPaired: 'Not paired yet',
    pairedSince: 'Paired since',
    loading: 'Loading…',
    unreachable: 'The database server is not answering. Try again shortly.',
    kiosk: 'Kiosk',
    cashier: 'Cashier',
    kitchen: 'Kitchen',
    waiter: 'Waiter',
    language: 'Bahasa Indonesia',
  },
} as const;

export type Locale = keyof typeof messages;
export type MessageKey = keyof (typeof messages)['id'];
