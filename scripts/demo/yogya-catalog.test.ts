import { describe, expect, it } from 'vitest';
import { structureErrors } from '../../design-docs/lib/structure';
import type { Category, Product, Promotion } from '../../design-docs/lib/types';
import { foodPhotoSvg, type FoodKind } from './food-photo';
import { photoFor, yogyaCatalog } from './yogya-catalog';

const NOW = '2026-01-20T08:15:00.000Z';
const docs = yogyaCatalog('yogya', NOW);
const categories = docs.filter((d): d is Category => d.type === 'category');
const products = docs.filter((d): d is Product => d.type === 'product');
const promotions = docs.filter((d): d is Promotion => d.type === 'promotion');
const brands = docs.filter((d) => d.type === 'brand');

describe('YOGYA demo catalog', () => {
  it('every document is well formed', () => {
    for (const doc of docs)
      expect({ id: doc._id, errors: structureErrors(doc as unknown as Record<string, unknown>) }).toEqual({ id: doc._id, errors: [] });
  });

  it('has three brands without a store field, for the given tenant', () => {
    expect(brands.map((b) => b._id).sort()).toEqual(['brand:AYAMGEPREK', 'brand:MIEAYAM', 'brand:NASGORENG']);
    for (const b of brands) expect('store' in b).toBe(false);
    for (const d of docs) {
      expect(d.tenant).toBe('yogya');
      expect(d.updated_at).toBe(NOW);
    }
  });

  it('ids are unique and deterministic', () => {
    const ids = docs.map((d) => d._id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(yogyaCatalog('yogya', '2026-02-01T00:00:00.000Z').map((d) => d._id)).toEqual(ids);
  });

  it("every product's category belongs to the same brand", () => {
    const byId = new Map(categories.map((c) => [c._id, c]));
    for (const p of products) expect({ id: p._id, brand: byId.get(p.category_id)?.brand }).toEqual({ id: p._id, brand: p.brand });
  });

  it('every promotion names products of its own brand, and covers 2026', () => {
    const byId = new Map(products.map((p) => [p._id, p]));
    expect(promotions.length).toBeGreaterThanOrEqual(3);
    for (const promo of promotions) {
      expect(promo.product_ids.length).toBeGreaterThan(0);
      for (const id of promo.product_ids) expect({ id, brand: byId.get(id)?.brand }).toEqual({ id, brand: promo.brand });
      expect(promo.starts_at <= '2026-01-01T00:00:00.000Z' && promo.ends_at >= '2026-12-31T23:59:59.000Z').toBe(true);
    }
  });

  it('prices are whole rupiah', () => {
    for (const p of products) {
      expect(Number.isInteger(p.price) && p.price > 0 && p.price % 500 === 0).toBe(true);
      for (const g of p.modifier_groups) for (const o of g.options) expect(Number.isInteger(o.price) && o.price % 500 === 0).toBe(true);
    }
  });

  it('each brand has at least eight products, one of them sold out, and a promotion', () => {
    for (const b of brands) {
      const mine = products.filter((p) => p.brand === b._id.slice('brand:'.length));
      expect(mine.length).toBeGreaterThanOrEqual(8);
      expect(mine.filter((p) => !p.available)).toHaveLength(1);
      expect(promotions.some((p) => p.brand === b._id.slice('brand:'.length))).toBe(true);
    }
  });

  it('categories and products have a menu order', () => {
    for (const d of [...categories, ...products]) expect(Number.isInteger(d.sort)).toBe(true);
  });
});

describe('food photos', () => {
  const kinds: FoodKind[] = ['rice', 'noodle', 'chicken', 'drink', 'side'];

  it('draws each kind as a small self-contained SVG', () => {
    for (const kind of kinds)
      for (const seed of [0, 1, 42, 99999]) {
        const svg = foodPhotoSvg({ name: 'Es Teh Manis', brandColor: '#D64545', kind, seed });
        expect(svg.startsWith('<svg')).toBe(true);
        expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
        expect(svg.match(/<svg\b/g)).toHaveLength(1);
        expect(Buffer.byteLength(svg)).toBeLessThan(8000);
        expect(svg).not.toMatch(/NaN|undefined|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
      }
  });

  it('is deterministic and varies with the seed', () => {
    const a = foodPhotoSvg({ name: 'Mie Ayam', brandColor: '#2E8B57', kind: 'noodle', seed: 7 });
    expect(foodPhotoSvg({ name: 'Mie Ayam', brandColor: '#2E8B57', kind: 'noodle', seed: 7 })).toBe(a);
    expect(foodPhotoSvg({ name: 'Mie Ayam', brandColor: '#2E8B57', kind: 'noodle', seed: 8 })).not.toBe(a);
  });

  it('has a picture for every catalog product', () => {
    for (const p of products) {
      const photo = photoFor(p);
      expect(kinds).toContain(photo.kind);
      const svg = foodPhotoSvg({ name: p.name, ...photo });
      expect(svg.startsWith('<svg') && svg.endsWith('</svg>')).toBe(true);
      expect(Buffer.byteLength(svg)).toBeLessThan(8000);
    }
  });
});
