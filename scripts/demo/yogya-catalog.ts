// The demo tenant's catalog: YOGYA Group, three brands of a food court. Ids are derived from
// fixed slugs so that seeding twice updates the same documents instead of adding new ones.
import {
  SCHEMA_VERSION,
  type CatalogBrand,
  type Category,
  type ModifierGroup,
  type Product,
  type Promotion,
} from '../../design-docs/lib/types';
import type { FoodKind } from './food-photo';

export type CatalogDoc = CatalogBrand | Category | Product | Promotion;

export const TENANT_NAME = 'YOGYA Group';

/** Promotions run for all of 2026 in every Indonesian time zone (WIT is UTC+9, WIB UTC+7). */
const PROMO_STARTS = '2025-12-31T00:00:00.000Z';
const PROMO_ENDS = '2027-01-01T00:00:00.000Z';

// --- modifier groups ---

function levelPedas(top = 5): ModifierGroup {
  const label = ['Tidak pedas', 'Sedikit pedas', 'Pedas', 'Pedas banget', 'Super pedas', 'Pedas gila'];
  const labelEn = ['Not spicy', 'Mild', 'Spicy', 'Very spicy', 'Super spicy', 'Insanely spicy'];
  return {
    id: 'level',
    name: 'Level Pedas',
    name_en: 'Spice level',
    required: true,
    max: 1,
    options: label
      .slice(0, top + 1)
      .map((l, i) => ({ id: `l${i}`, name: `Level ${i} (${l})`, name_en: `Level ${i} (${labelEn[i]})`, price: 0 })),
  };
}

function porsi(jumbo = 5000): ModifierGroup {
  return {
    id: 'porsi',
    name: 'Porsi',
    name_en: 'Portion',
    required: true,
    max: 1,
    options: [
      { id: 'normal', name: 'Normal', name_en: 'Regular', price: 0 },
      { id: 'jumbo', name: 'Jumbo', name_en: 'Large', price: jumbo },
    ],
  };
}

type Addon = [id: string, name: string, nameEn: string, price: number];

function tambahan(addons: Addon[]): ModifierGroup {
  return {
    id: 'tambahan',
    name: 'Tambahan',
    name_en: 'Add-ons',
    required: false,
    max: 3,
    options: addons.map(([id, name, name_en, price]) => ({ id, name, name_en, price })),
  };
}

const ES: ModifierGroup = {
  id: 'es',
  name: 'Es',
  name_en: 'Ice',
  required: true,
  max: 1,
  options: [
    { id: 'normal', name: 'Es normal', name_en: 'Regular ice', price: 0 },
    { id: 'sedikit', name: 'Sedikit es', name_en: 'Less ice', price: 0 },
    { id: 'tanpa', name: 'Tanpa es', name_en: 'No ice', price: 0 },
  ],
};

const GULA: ModifierGroup = {
  id: 'gula',
  name: 'Gula',
  name_en: 'Sugar',
  required: true,
  max: 1,
  options: [
    { id: 'normal', name: 'Manis normal', name_en: 'Regular sugar', price: 0 },
    { id: 'sedikit', name: 'Kurang manis', name_en: 'Less sugar', price: 0 },
    { id: 'tanpa', name: 'Tanpa gula', name_en: 'No sugar', price: 0 },
  ],
};

const UKURAN_MINUM: ModifierGroup = {
  id: 'ukuran',
  name: 'Ukuran',
  name_en: 'Size',
  required: true,
  max: 1,
  options: [
    { id: 'reguler', name: 'Reguler', name_en: 'Regular', price: 0 },
    { id: 'jumbo', name: 'Jumbo', name_en: 'Large', price: 3000 },
  ],
};

const SAJIAN: ModifierGroup = {
  id: 'sajian',
  name: 'Penyajian',
  name_en: 'Served',
  required: true,
  max: 1,
  options: [
    { id: 'dingin', name: 'Dingin', name_en: 'Iced', price: 0 },
    { id: 'hangat', name: 'Hangat', name_en: 'Hot', price: 0 },
  ],
};

const ADD_GEPREK = tambahan([
  ['telur', 'Telur dadar', 'Omelette', 4000],
  ['keju', 'Keju mozarella', 'Mozzarella cheese', 5000],
  ['nasi', 'Nasi putih', 'Steamed rice', 5000],
  ['tahu', 'Tahu goreng', 'Fried tofu', 3000],
  ['tempe', 'Tempe goreng', 'Fried tempeh', 3000],
  ['terong', 'Terong goreng', 'Fried eggplant', 4000],
]);

const ADD_NASGOR = tambahan([
  ['telur', 'Telur ceplok', 'Fried egg', 4000],
  ['ayam', 'Ayam suwir', 'Shredded chicken', 6000],
  ['bakso', 'Bakso sapi', 'Beef meatballs', 5000],
  ['sosis', 'Sosis', 'Sausage', 5000],
  ['keju', 'Keju', 'Cheese', 5000],
  ['kerupuk', 'Kerupuk', 'Crackers', 2000],
]);

const ADD_MIE: ModifierGroup = tambahan([
  ['bakso', 'Bakso sapi (2)', 'Beef meatballs (2)', 5000],
  ['pangsit', 'Pangsit rebus (3)', 'Boiled wontons (3)', 5000],
  ['ceker', 'Ceker (2)', 'Chicken feet (2)', 5000],
  ['telur', 'Telur rebus', 'Boiled egg', 4000],
  ['ayam', 'Ekstra ayam', 'Extra chicken', 7000],
  ['sawi', 'Ekstra sawi', 'Extra greens', 2000],
]);

const PILIH_MIE: ModifierGroup = {
  id: 'mie',
  name: 'Pilihan Mie',
  name_en: 'Noodle type',
  required: true,
  max: 1,
  options: [
    { id: 'keriting', name: 'Mie keriting', name_en: 'Curly egg noodles', price: 0 },
    { id: 'lebar', name: 'Mie lebar', name_en: 'Flat egg noodles', price: 0 },
    { id: 'bihun', name: 'Bihun', name_en: 'Rice vermicelli', price: 0 },
  ],
};

// --- the menu ---

interface ProductSpec {
  slug: string;
  category: string;
  name: string;
  name_en: string;
  description: string;
  price: number;
  kind: FoodKind;
  groups?: ModifierGroup[];
  soldOut?: boolean;
}

interface PromotionSpec {
  slug: string;
  name: string;
  kind: 'percent' | 'amount';
  value: number;
  products: string[];
}

interface BrandSpec {
  code: string;
  name: string;
  color: string;
  categories: [slug: string, name: string, nameEn: string][];
  products: ProductSpec[];
  promotions: PromotionSpec[];
}

const DRINK = [ES, GULA];

export const YOGYA_BRANDS: BrandSpec[] = [
  {
    code: 'AYAMGEPREK',
    name: 'Ayam Geprek Boedjangan',
    color: '#D64545',
    categories: [
      ['paket', 'Paket', 'Meal sets'],
      ['ala-carte', 'Ala Carte', 'A la carte'],
      ['minuman', 'Minuman', 'Drinks'],
      ['tambahan', 'Tambahan', 'Sides'],
    ],
    products: [
      {
        slug: 'paket-hemat',
        category: 'paket',
        name: 'Paket Geprek Hemat',
        name_en: 'Smashed Chicken Value Set',
        description: 'Ayam geprek, nasi putih, lalapan dan es teh manis.',
        price: 25000,
        kind: 'chicken',
        groups: [levelPedas(), ADD_GEPREK],
      },
      {
        slug: 'paket-komplit',
        category: 'paket',
        name: 'Paket Geprek Komplit',
        name_en: 'Smashed Chicken Complete Set',
        description: 'Ayam geprek, nasi, tahu, tempe, lalapan dan es jeruk.',
        price: 32000,
        kind: 'chicken',
        groups: [levelPedas(), ADD_GEPREK],
      },
      {
        slug: 'paket-mozarella',
        category: 'paket',
        name: 'Paket Geprek Mozarella',
        name_en: 'Mozzarella Smashed Chicken Set',
        description: 'Ayam geprek berselimut keju mozarella leleh, nasi dan es teh.',
        price: 38000,
        kind: 'chicken',
        groups: [levelPedas(), ADD_GEPREK],
      },
      {
        slug: 'geprek-original',
        category: 'ala-carte',
        name: 'Ayam Geprek Original',
        name_en: 'Original Smashed Chicken',
        description: 'Ayam goreng tepung renyah digeprek dengan sambal bawang.',
        price: 18000,
        kind: 'chicken',
        groups: [levelPedas(), porsi(), ADD_GEPREK],
      },
      {
        slug: 'geprek-matah',
        category: 'ala-carte',
        name: 'Ayam Geprek Sambal Matah',
        name_en: 'Smashed Chicken with Balinese Sambal',
        description: 'Sambal matah segar: bawang merah, serai dan jeruk limau.',
        price: 22000,
        kind: 'chicken',
        groups: [levelPedas(), porsi(), ADD_GEPREK],
      },
      {
        slug: 'geprek-ijo',
        category: 'ala-carte',
        name: 'Ayam Geprek Sambal Ijo',
        name_en: 'Smashed Chicken with Green Chili Sambal',
        description: 'Sambal cabai hijau ala Padang, gurih dan harum.',
        price: 22000,
        kind: 'chicken',
        groups: [levelPedas(), porsi(), ADD_GEPREK],
        soldOut: true,
      },
      {
        slug: 'geprek-keju',
        category: 'ala-carte',
        name: 'Ayam Geprek Keju',
        name_en: 'Smashed Chicken with Cheese',
        description: 'Ayam geprek dengan lelehan keju mozarella di atasnya.',
        price: 27000,
        kind: 'chicken',
        groups: [levelPedas(), porsi(), ADD_GEPREK],
      },
      {
        slug: 'es-teh',
        category: 'minuman',
        name: 'Es Teh Manis',
        name_en: 'Sweet Iced Tea',
        description: 'Teh melati seduh, manis dan dingin.',
        price: 5000,
        kind: 'drink',
        groups: [UKURAN_MINUM, ...DRINK],
      },
      {
        slug: 'es-jeruk',
        category: 'minuman',
        name: 'Es Jeruk Peras',
        name_en: 'Fresh Iced Orange',
        description: 'Perasan jeruk peras segar.',
        price: 8000,
        kind: 'drink',
        groups: [UKURAN_MINUM, ...DRINK],
      },
      {
        slug: 'kopi-susu',
        category: 'minuman',
        name: 'Es Kopi Susu Gula Aren',
        name_en: 'Iced Palm Sugar Coffee',
        description: 'Espresso, susu segar dan gula aren.',
        price: 15000,
        kind: 'drink',
        groups: [ES, GULA],
      },
      {
        slug: 'tahu-tempe',
        category: 'tambahan',
        name: 'Tahu Tempe Goreng',
        name_en: 'Fried Tofu and Tempeh',
        description: 'Dua tahu dan dua tempe goreng hangat.',
        price: 6000,
        kind: 'side',
      },
      {
        slug: 'kulit-crispy',
        category: 'tambahan',
        name: 'Kulit Ayam Crispy',
        name_en: 'Crispy Chicken Skin',
        description: 'Kulit ayam goreng garing dengan bumbu bawang.',
        price: 10000,
        kind: 'side',
        groups: [levelPedas(3)],
      },
    ],
    promotions: [
      {
        slug: 'paket-hemat-10',
        name: 'Diskon 10% Paket Hemat',
        kind: 'percent',
        value: 10,
        products: ['paket-hemat', 'paket-komplit', 'paket-mozarella'],
      },
    ],
  },
  {
    code: 'NASGORENG',
    name: 'Nasi Goreng Pak Kumis',
    color: '#E0A100',
    categories: [
      ['paket', 'Paket', 'Meal sets'],
      ['nasi-goreng', 'Nasi Goreng', 'Fried rice'],
      ['minuman', 'Minuman', 'Drinks'],
      ['tambahan', 'Tambahan', 'Sides'],
    ],
    products: [
      {
        slug: 'paket-hemat',
        category: 'paket',
        name: 'Paket Nasgor Hemat',
        name_en: 'Fried Rice Value Set',
        description: 'Nasi goreng biasa, kerupuk dan es teh manis.',
        price: 22000,
        kind: 'rice',
        groups: [levelPedas(), ADD_NASGOR],
      },
      {
        slug: 'paket-kumis',
        category: 'paket',
        name: 'Paket Kumis Komplit',
        name_en: 'Pak Kumis Complete Set',
        description: 'Nasi goreng spesial, sate ayam dua tusuk dan es jeruk.',
        price: 38000,
        kind: 'rice',
        groups: [levelPedas(), ADD_NASGOR],
      },
      {
        slug: 'nasgor-biasa',
        category: 'nasi-goreng',
        name: 'Nasi Goreng Biasa',
        name_en: 'Classic Fried Rice',
        description: 'Nasi goreng kecap dengan telur orak-arik dan acar.',
        price: 18000,
        kind: 'rice',
        groups: [levelPedas(), porsi(), ADD_NASGOR],
      },
      {
        slug: 'nasgor-spesial',
        category: 'nasi-goreng',
        name: 'Nasi Goreng Spesial Pak Kumis',
        name_en: 'Pak Kumis Special Fried Rice',
        description: 'Telur ceplok, ayam suwir dan bakso, dimasak di atas api arang.',
        price: 28000,
        kind: 'rice',
        groups: [levelPedas(), porsi(), ADD_NASGOR],
      },
      {
        slug: 'nasgor-seafood',
        category: 'nasi-goreng',
        name: 'Nasi Goreng Seafood',
        name_en: 'Seafood Fried Rice',
        description: 'Udang, cumi dan bakso ikan dengan bumbu terasi.',
        price: 35000,
        kind: 'rice',
        groups: [levelPedas(), porsi(7000), ADD_NASGOR],
      },
      {
        slug: 'nasgor-kambing',
        category: 'nasi-goreng',
        name: 'Nasi Goreng Kambing',
        name_en: 'Goat Fried Rice',
        description: 'Daging kambing empuk dengan rempah khas Betawi.',
        price: 38000,
        kind: 'rice',
        groups: [levelPedas(), porsi(8000), ADD_NASGOR],
        soldOut: true,
      },
      {
        slug: 'nasgor-pete',
        category: 'nasi-goreng',
        name: 'Nasi Goreng Pete',
        name_en: 'Stink Bean Fried Rice',
        description: 'Pete segar, teri medan dan sambal terasi.',
        price: 25000,
        kind: 'rice',
        groups: [levelPedas(), porsi(), ADD_NASGOR],
      },
      {
        slug: 'mie-goreng-jawa',
        category: 'nasi-goreng',
        name: 'Mie Goreng Jawa',
        name_en: 'Javanese Fried Noodles',
        description: 'Mie telur dimasak dengan kecap, kol dan sawi.',
        price: 20000,
        kind: 'noodle',
        groups: [levelPedas(), porsi(), ADD_NASGOR],
      },
      {
        slug: 'es-teh',
        category: 'minuman',
        name: 'Es Teh Manis',
        name_en: 'Sweet Iced Tea',
        description: 'Teh tubruk manis yang menyegarkan.',
        price: 5000,
        kind: 'drink',
        groups: [UKURAN_MINUM, ...DRINK],
      },
      {
        slug: 'es-jeruk',
        category: 'minuman',
        name: 'Es Jeruk',
        name_en: 'Iced Orange',
        description: 'Jeruk peras dengan es batu.',
        price: 8000,
        kind: 'drink',
        groups: [UKURAN_MINUM, ...DRINK],
      },
      {
        slug: 'wedang-jahe',
        category: 'minuman',
        name: 'Wedang Jahe',
        name_en: 'Ginger Tea',
        description: 'Jahe bakar, serai dan gula batu. Hangat di badan.',
        price: 8000,
        kind: 'drink',
        groups: [SAJIAN, GULA],
      },
      {
        slug: 'kerupuk-udang',
        category: 'tambahan',
        name: 'Kerupuk Udang',
        name_en: 'Prawn Crackers',
        description: 'Kerupuk udang Sidoarjo yang renyah.',
        price: 5000,
        kind: 'side',
      },
      {
        slug: 'telur-ceplok',
        category: 'tambahan',
        name: 'Telur Ceplok',
        name_en: 'Sunny-side-up Egg',
        description: 'Telur mata sapi, kuning setengah matang.',
        price: 5000,
        kind: 'side',
      },
    ],
    promotions: [
      {
        slug: 'potongan-5000',
        name: 'Potongan Rp5.000 Nasi Goreng Spesial',
        kind: 'amount',
        value: 5000,
        products: ['nasgor-spesial', 'nasgor-seafood', 'paket-kumis'],
      },
    ],
  },
  {
    code: 'MIEAYAM',
    name: 'Mie Ayam Bangka',
    color: '#2E8B57',
    categories: [
      ['paket', 'Paket', 'Meal sets'],
      ['mie', 'Mie & Kwetiau', 'Noodles'],
      ['minuman', 'Minuman', 'Drinks'],
      ['camilan', 'Camilan', 'Snacks'],
    ],
    products: [
      {
        slug: 'paket-hemat',
        category: 'paket',
        name: 'Paket Mie Ayam Hemat',
        name_en: 'Chicken Noodle Value Set',
        description: 'Mie ayam original dan es teh manis.',
        price: 24000,
        kind: 'noodle',
        groups: [PILIH_MIE, levelPedas(), ADD_MIE],
      },
      {
        slug: 'paket-komplit',
        category: 'paket',
        name: 'Paket Mie Ayam Komplit',
        name_en: 'Chicken Noodle Complete Set',
        description: 'Mie ayam dengan bakso, pangsit rebus dan es jeruk kunci.',
        price: 35000,
        kind: 'noodle',
        groups: [PILIH_MIE, levelPedas(), ADD_MIE],
      },
      {
        slug: 'mie-ayam',
        category: 'mie',
        name: 'Mie Ayam Bangka Original',
        name_en: 'Original Bangka Chicken Noodles',
        description: 'Mie kenyal, minyak bawang dan ayam kecap khas Bangka.',
        price: 20000,
        kind: 'noodle',
        groups: [PILIH_MIE, levelPedas(), porsi(), ADD_MIE],
      },
      {
        slug: 'mie-ayam-bakso',
        category: 'mie',
        name: 'Mie Ayam Bakso',
        name_en: 'Chicken Noodles with Meatballs',
        description: 'Mie ayam dengan tiga butir bakso sapi.',
        price: 25000,
        kind: 'noodle',
        groups: [PILIH_MIE, levelPedas(), porsi(), ADD_MIE],
      },
      {
        slug: 'mie-ayam-pangsit',
        category: 'mie',
        name: 'Mie Ayam Pangsit',
        name_en: 'Chicken Noodles with Wontons',
        description: 'Mie ayam dengan pangsit rebus isi ayam udang.',
        price: 25000,
        kind: 'noodle',
        groups: [PILIH_MIE, levelPedas(), porsi(), ADD_MIE],
      },
      {
        slug: 'mie-ayam-jamur',
        category: 'mie',
        name: 'Mie Ayam Jamur',
        name_en: 'Chicken Noodles with Mushrooms',
        description: 'Topping ayam dan jamur kancing bumbu kecap.',
        price: 23000,
        kind: 'noodle',
        groups: [PILIH_MIE, levelPedas(), porsi(), ADD_MIE],
      },
      {
        slug: 'mie-ayam-ceker',
        category: 'mie',
        name: 'Mie Ayam Ceker',
        name_en: 'Chicken Noodles with Chicken Feet',
        description: 'Ceker empuk dimasak lama sampai lepas dari tulang.',
        price: 24000,
        kind: 'noodle',
        groups: [PILIH_MIE, levelPedas(), porsi(), ADD_MIE],
        soldOut: true,
      },
      {
        slug: 'kwetiau-ayam',
        category: 'mie',
        name: 'Kwetiau Ayam Bangka',
        name_en: 'Bangka Chicken Flat Rice Noodles',
        description: 'Kwetiau lembut dengan kuah kaldu ayam bening.',
        price: 24000,
        kind: 'noodle',
        groups: [levelPedas(), porsi(), ADD_MIE],
      },
      {
        slug: 'es-teh',
        category: 'minuman',
        name: 'Es Teh Manis',
        name_en: 'Sweet Iced Tea',
        description: 'Teh manis dingin.',
        price: 5000,
        kind: 'drink',
        groups: [UKURAN_MINUM, ...DRINK],
      },
      {
        slug: 'es-jeruk-kunci',
        category: 'minuman',
        name: 'Es Jeruk Kunci',
        name_en: 'Iced Calamansi',
        description: 'Jeruk kunci khas Bangka, asam segar.',
        price: 10000,
        kind: 'drink',
        groups: [UKURAN_MINUM, ...DRINK],
      },
      {
        slug: 'pangsit-goreng',
        category: 'camilan',
        name: 'Pangsit Goreng (5 pcs)',
        name_en: 'Fried Wontons (5 pcs)',
        description: 'Pangsit isi ayam digoreng renyah, dengan saus sambal.',
        price: 12000,
        kind: 'side',
      },
      {
        slug: 'bakso-goreng',
        category: 'camilan',
        name: 'Bakso Goreng',
        name_en: 'Fried Meatballs',
        description: 'Bakso ikan dan ayam goreng, gurih di luar lembut di dalam.',
        price: 10000,
        kind: 'side',
      },
    ],
    promotions: [
      { slug: 'paket-15', name: 'Diskon 15% Paket Mie Ayam', kind: 'percent', value: 15, products: ['paket-hemat', 'paket-komplit'] },
    ],
  },
];

const key = (brand: string, slug: string): string => `${brand.toLowerCase()}-${slug}`;

/** Small stable hash of a string (FNV-1a), for picture seeds that survive re-seeding. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const KIND_BY_ID = new Map<string, FoodKind>();
const COLOR_BY_BRAND = new Map<string, string>();
for (const b of YOGYA_BRANDS) {
  COLOR_BY_BRAND.set(b.code, b.color);
  for (const p of b.products) KIND_BY_ID.set(`product:${key(b.code, p.slug)}`, p.kind);
}

/** What picture to draw for a product: the seeder passes this (and the name) to foodPhotoSvg. */
export function photoFor(product: Pick<Product, '_id' | 'name' | 'brand'>): { kind: FoodKind; seed: number; brandColor: string } {
  const n = product.name.toLowerCase();
  const guess: FoodKind = /\b(es|teh|kopi|jus|wedang)\b/.test(n)
    ? 'drink'
    : /mie|kwetiau|bihun/.test(n)
      ? 'noodle'
      : /nasi|nasgor/.test(n)
        ? 'rice'
        : /ayam/.test(n)
          ? 'chicken'
          : 'side';
  return {
    kind: KIND_BY_ID.get(product._id) ?? guess,
    seed: hash(product._id) % 100000,
    brandColor: COLOR_BY_BRAND.get(product.brand) ?? '#C0703A',
  };
}

export function yogyaCatalog(tenant: string, now: string): CatalogDoc[] {
  const docs: CatalogDoc[] = [];
  const base = { schema: SCHEMA_VERSION, tenant, updated_at: now };
  for (const b of YOGYA_BRANDS) {
    docs.push({ _id: `brand:${b.code}`, type: 'brand', ...base, code: b.code, name: b.name, color: b.color });
    b.categories.forEach(([slug, name, name_en], i) => {
      docs.push({ _id: `category:${key(b.code, slug)}`, type: 'category', ...base, brand: b.code, name, name_en, sort: (i + 1) * 10 });
    });
    b.products.forEach((p, i) => {
      docs.push({
        _id: `product:${key(b.code, p.slug)}`,
        type: 'product',
        ...base,
        brand: b.code,
        category_id: `category:${key(b.code, p.category)}`,
        name: p.name,
        name_en: p.name_en,
        description: p.description,
        price: p.price,
        modifier_groups: structuredClone(p.groups ?? []),
        available: !p.soldOut,
        sort: (i + 1) * 10,
      });
    });
    for (const promo of b.promotions) {
      docs.push({
        _id: `promotion:${key(b.code, promo.slug)}`,
        type: 'promotion',
        ...base,
        brand: b.code,
        name: promo.name,
        kind: promo.kind,
        value: promo.value,
        product_ids: promo.products.map((slug) => `product:${key(b.code, slug)}`),
        starts_at: PROMO_STARTS,
        ends_at: PROMO_ENDS,
        active: true,
      });
    }
  }
  return docs;
}
