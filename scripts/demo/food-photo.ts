// Flat, top-down food illustrations for the demo catalog: one small self-contained SVG per
// product (no fonts, no external images), attached to the product as `photo.svg`. The seed
// moves the garnish around so that neighbouring tiles do not look stamped out of one mould.

export type FoodKind = 'rice' | 'noodle' | 'chicken' | 'drink' | 'side';

export interface FoodPhotoOptions {
  name: string;
  brandColor: string;
  kind: FoodKind;
  seed: number;
}

type Rand = () => number;
type Pt = [number, number];

const CX = 320;
const CY = 240;

/** mulberry32: tiny, deterministic, good enough for scattering peppers. */
function prng(seed: number): Rand {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return [192, 112, 58];
  return [parseInt(m[1] as string, 16), parseInt(m[2] as string, 16), parseInt(m[3] as string, 16)];
}

/** `a` blended towards `b` by t (0 = a, 1 = b). */
function mix(a: string, b: string, t: number): string {
  const x = rgb(a);
  const y = rgb(b);
  return (
    '#' +
    x
      .map((v, i) =>
        Math.round(v + ((y[i] as number) - v) * t)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')
  );
}

const r = (v: number): number => Math.round(v);
const between = (rand: Rand, lo: number, hi: number): number => lo + rand() * (hi - lo);

/** A smooth irregular closed shape: points around an ellipse, joined by quadratic curves through their midpoints. */
function blob(rand: Rand, cx: number, cy: number, rx: number, ry: number, n: number, jitter: number): string {
  const pts: Pt[] = [];
  const rot = rand() * Math.PI;
  for (let i = 0; i < n; i++) {
    const a = rot + (i / n) * Math.PI * 2;
    const k = 1 + (rand() - 0.5) * jitter;
    pts.push([cx + Math.cos(a) * rx * k, cy + Math.sin(a) * ry * k]);
  }
  const mid = (p: Pt, q: Pt) => `${r((p[0] + q[0]) / 2)},${r((p[1] + q[1]) / 2)}`;
  let d = `M${mid(pts[n - 1] as Pt, pts[0] as Pt)}`;
  for (let i = 0; i < n; i++) {
    const p = pts[i] as Pt;
    d += `Q${r(p[0])},${r(p[1])} ${mid(p, pts[(i + 1) % n] as Pt)}`;
  }
  return d + 'Z';
}

/** Short round-capped strokes scattered in an ellipse: rice grains, crumbs, specks (len 0 = dots). */
function specks(rand: Rand, cx: number, cy: number, rx: number, ry: number, count: number, len: number): string {
  let d = '';
  for (let i = 0; i < count; i++) {
    const a = rand() * Math.PI * 2;
    const k = Math.sqrt(rand());
    const x = r(cx + Math.cos(a) * rx * k);
    const y = r(cy + Math.sin(a) * ry * k);
    const b = rand() * Math.PI;
    d += len ? `M${x},${y}l${r(Math.cos(b) * len)},${r(Math.sin(b) * len)}` : `M${x},${y}h0`;
  }
  return d;
}

const stroke = (d: string, color: string, width: number, extra = ''): string =>
  `<path d="${d}" fill="none" stroke="${color}" stroke-width="${width}" stroke-linecap="round"${extra}/>`;
const fill = (d: string, color: string, extra = ''): string => `<path d="${d}" fill="${color}"${extra}/>`;
const circle = (x: number, y: number, rad: number, color: string, extra = ''): string =>
  `<circle cx="${r(x)}" cy="${r(y)}" r="${r(rad)}" fill="${color}"${extra}/>`;
const use = (id: string, x: number, y: number, rot: number, extra = ''): string =>
  `<use href="#${id}" transform="translate(${r(x)},${r(y)}) rotate(${r(rot)})"${extra}/>`;

// Garnish drawn once in <defs> and placed with <use>. Citrus takes its peel colour from `color`.
const DEFS =
  '<filter id="s" x="-20%" y="-20%" width="140%" height="140%"><feGaussianBlur stdDeviation="9"/></filter>' +
  '<g id="c"><path d="M0,-7C24,-12 52,-6 72,10C50,4 24,9 0,7Z" fill="#D7261E"/><path d="M8,-4C26,-8 44,-5 56,2" stroke="#F26A55" stroke-width="3" fill="none" stroke-linecap="round"/><path d="M2,0L-14,-6" stroke="#3F7D2A" stroke-width="6" stroke-linecap="round"/></g>' +
  '<g id="l"><circle r="30" fill="currentColor"/><circle r="25" fill="#fff" opacity=".55"/><path d="M0,-22V22M-22,0H22M-16,-16L16,16M-16,16L16,-16" stroke="currentColor" stroke-width="2.5" opacity=".6"/><circle r="4" fill="#fff" opacity=".8"/></g>' +
  '<g id="f"><path d="M0,0C12,-16 40,-18 58,0C40,18 12,16 0,0Z" fill="#4C9A3B"/><path d="M2,0H50" stroke="#7CC25A" stroke-width="2.5"/></g>' +
  '<g id="k"><circle r="24" fill="#5C9C35"/><circle r="20" fill="#E3EFB8"/><path d="M0,-9V9M-8,-4L8,4M-8,4L8,-4" stroke="#B8D27C" stroke-width="3" stroke-linecap="round"/></g>' +
  '<g id="o"><path d="M-16,2C-16,-12 16,-12 16,2C16,14 -16,14 -16,2Z" fill="#A3415B"/><path d="M16,0L26,-4M-6,-6C-2,-8 6,-8 10,-4" stroke="#D9879C" stroke-width="3" stroke-linecap="round" fill="none"/></g>' +
  '<g id="t"><circle r="24" fill="#D63A2C"/><circle r="19" fill="#F0674E"/><path d="M0,-12V12M-11,6L11,-6M-11,-6L11,6" stroke="#F9B39A" stroke-width="3" stroke-linecap="round"/></g>';

/** Where garnish may sit without covering the plate (the plate spans x 140-500). */
const SPOTS: Pt[] = [
  [72, 84],
  [568, 78],
  [78, 404],
  [566, 402],
  [54, 244],
  [590, 240],
];

function scatter(rand: Rand, items: string[], count: number, avoid: number[] = []): string {
  const spots = SPOTS.filter((_s, i) => avoid.indexOf(i) === -1).sort(() => rand() - 0.5);
  let out = '';
  for (let i = 0; i < count && i < spots.length; i++) {
    const [x, y] = spots[i] as Pt;
    const item = items[Math.floor(rand() * items.length)] as string;
    const jx = x + between(rand, -12, 12);
    const jy = y + between(rand, -12, 12);
    if (item === 'c') out += use('c', jx - 30, jy, between(rand, 0, 360));
    else if (item === 'c2') out += use('c', jx - 30, jy - 10, between(rand, -30, 30)) + use('c', jx - 26, jy + 14, between(rand, -20, 40));
    else if (item === 'f') out += use('f', jx - 28, jy, between(rand, 0, 360)) + use('f', jx - 20, jy + 6, between(rand, 0, 360));
    else if (item === 'lime') out += use('l', jx, jy, between(rand, 0, 90), ' color="#63A43A"');
    else if (item === 'orange') out += use('l', jx, jy, between(rand, 0, 90), ' color="#F08C1A"');
    else if (item === 'bean')
      for (let j = 0; j < 3; j++) {
        const bx = jx + between(rand, -24, 24);
        const by = jy + between(rand, -20, 20);
        out += `<g transform="translate(${r(bx)},${r(by)}) rotate(${r(between(rand, 0, 180))})"><ellipse rx="13" ry="9" fill="#5A3420"/><path d="M-10,0Q0,-4 10,0" stroke="#2E180C" stroke-width="2" fill="none"/></g>`;
      }
    else if (item === 'garlic') out += use('o', jx, jy, between(rand, 0, 360)) + use('o', jx + 26, jy + 14, between(rand, 0, 360));
  }
  return out;
}

function shadow(rx: number, ry: number, dy = 14, cx = CX): string {
  return `<ellipse cx="${cx + 8}" cy="${CY + dy}" rx="${rx}" ry="${ry}" fill="#3A2210" opacity=".28" filter="url(#s)"/>`;
}

function plate(rimColor: string): string {
  return (
    circle(CX, CY, 184, '#FBF8F2') +
    circle(CX, CY, 168, '#F1ECE2') +
    circle(CX, CY, 176, 'none', ` stroke="${rimColor}" stroke-width="3" opacity=".8"`) +
    circle(CX, CY, 150, '#FCFAF5')
  );
}

function friedEgg(rand: Rand, x: number, y: number, size: number): string {
  return (
    fill(blob(rand, x, y, size, size * 0.9, 9, 0.35), '#FFFDF7', ' stroke="#EBC88E" stroke-width="5"') +
    circle(x + size * 0.1, y - size * 0.05, size * 0.36, '#F6A91B') +
    circle(x + size * 0.02, y - size * 0.14, size * 0.1, '#FFE29A')
  );
}

function rice(rand: Rand, name: string, brand: string): string {
  const n = name.toLowerCase();
  const base = n.includes('kambing') ? '#9C5428' : n.includes('seafood') ? '#C7692F' : '#B9652A';
  let s = shadow(186, 186) + plate(brand);
  s += fill(blob(rand, 210, 150, 58, 38, 9, 0.55), '#F2C49B') + stroke(specks(rand, 210, 150, 44, 26, 10, 0), '#E29F6C', 6);
  s += fill(blob(rand, 305, 255, 128, 116, 12, 0.22), base) + fill(blob(rand, 298, 246, 108, 96, 11, 0.25), mix(base, '#F0B060', 0.35));
  s +=
    stroke(specks(rand, 300, 250, 104, 94, 70, 7), '#EDB571', 6) +
    stroke(specks(rand, 300, 250, 104, 94, 26, 6), mix(base, '#5A2A0E', 0.4), 6);
  s += stroke(specks(rand, 300, 250, 96, 86, 12, 0), '#5BAA3A', 8) + stroke(specks(rand, 300, 250, 96, 86, 7, 0), '#D93A2A', 7);
  if (n.includes('seafood'))
    for (let i = 0; i < 3; i++) {
      const x = between(rand, 230, 330);
      const y = between(rand, 270, 320);
      s += stroke(`M${r(x)},${r(y)}a22,22 0 1,1 30,18`, '#F07A3C', 14) + stroke(`M${r(x + 4)},${r(y - 4)}a18,18 0 0,1 24,-2`, '#FFB080', 4);
    }
  if (n.includes('pete'))
    s += stroke(specks(rand, 290, 280, 70, 40, 6, 0), '#7DBE4C', 18) + stroke(specks(rand, 290, 280, 70, 40, 4, 0), '#A9D97A', 8);
  s += friedEgg(rand, 330, 210, 62);
  s += use('k', 440, 320, 0) + use('k', 468, 282, 0) + use('t', 420, 362, 0);
  return s;
}

function chicken(rand: Rand, name: string): string {
  const n = name.toLowerCase();
  let s = shadow(186, 186);
  s += circle(CX, CY, 186, '#C48A50') + circle(CX, CY, 176, 'none', ' stroke="#9C6532" stroke-width="7" stroke-dasharray="12 7"');
  s += circle(CX, CY, 160, '#B57B43');
  s += `<clipPath id="b"><circle cx="${CX}" cy="${CY}" r="164"/></clipPath>`;
  let veins = '';
  for (let i = -6; i <= 6; i++) veins += `M${CX - 200},${CY + i * 28 - 60}l400,120`;
  s += `<g clip-path="url(#b)">${fill(blob(rand, CX, CY, 168, 160, 7, 0.12), '#4E9A3E')}${stroke(veins, '#3F8733', 3)}${stroke('M120,180L520,300', '#6DB255', 6)}</g>`;
  s += fill(blob(rand, 250, 285, 82, 76, 10, 0.16), '#FBF8F0') + fill(blob(rand, 244, 278, 64, 58, 9, 0.2), '#FFFFFF');
  s += stroke(specks(rand, 250, 285, 70, 64, 16, 7), '#ECE5D5', 5);
  s += fill(blob(rand, 375, 215, 100, 84, 13, 0.34), '#B9692A') + fill(blob(rand, 370, 208, 86, 70, 11, 0.34), '#D68A3A');
  s += stroke(specks(rand, 372, 210, 84, 68, 24, 0), '#EDB15A', 10) + stroke(specks(rand, 372, 210, 84, 68, 14, 0), '#A4561E', 7);
  // sambal: red by default, green for sambal ijo, chopped shallot and chili for sambal matah
  const ijo = n.includes('ijo');
  if (n.includes('matah')) {
    s += stroke(specks(rand, 370, 204, 52, 38, 16, 6), '#E8A0A8', 9) + stroke(specks(rand, 370, 204, 50, 36, 14, 0), '#D7261E', 8);
    s += stroke(specks(rand, 370, 204, 48, 34, 8, 8), '#7CB342', 4);
  } else {
    s +=
      fill(blob(rand, 372, 205, 56, 42, 11, 0.5), ijo ? '#3F7A22' : '#B8241C') +
      fill(blob(rand, 368, 200, 44, 32, 10, 0.5), ijo ? '#6BA534' : '#DD3B2A');
    s +=
      stroke(specks(rand, 368, 202, 40, 28, 16, 0), '#F7D27C', 4) +
      stroke(specks(rand, 368, 202, 40, 28, 8, 5), ijo ? '#2C5A16' : '#8E1810', 4);
  }
  if (n.includes('keju') || n.includes('mozarella'))
    s +=
      fill(blob(rand, 380, 214, 62, 44, 9, 0.5), '#FFE9A8', ' opacity=".92"') + stroke(specks(rand, 380, 214, 44, 30, 5, 0), '#F5C75A', 9);
  s +=
    use('k', 440, 330, 0) +
    use('k', 404, 356, 0) +
    fill(blob(rand, 225, 160, 50, 34, 8, 0.4), '#CFE59F') +
    stroke('M190,170Q225,150 262,158', '#EAF4C8', 5);
  return s;
}

function noodle(rand: Rand, name: string, brand: string): string {
  const n = name.toLowerCase();
  const flat = n.includes('kwetiau');
  const goreng = n.includes('goreng');
  let s = shadow(190, 190);
  s += circle(CX, CY, 188, '#FFFFFF') + circle(CX, CY, 174, 'none', ` stroke="${brand}" stroke-width="7"`) + circle(CX, CY, 160, '#ECE6DA');
  s += `<clipPath id="b"><circle cx="${CX}" cy="${CY}" r="152"/></clipPath>`;
  const base = goreng ? '#B5692B' : flat ? '#EAD9B0' : '#E2B650';
  const hi = goreng ? '#D99048' : flat ? '#F8EED6' : '#F6D57A';
  let lines = '';
  let darks = '';
  for (let i = 0; i < 22; i++) {
    let x = between(rand, 150, 490);
    let y = between(rand, 80, 400);
    let d = `M${r(x)},${r(y)}`;
    for (let j = 0; j < 3; j++) {
      const nx = x + between(rand, -90, 90);
      const ny = y + between(rand, -90, 90);
      d += `Q${r(between(rand, Math.min(x, nx) - 40, Math.max(x, nx) + 40))},${r(between(rand, Math.min(y, ny) - 40, Math.max(y, ny) + 40))} ${r(nx)},${r(ny)}`;
      x = nx;
      y = ny;
    }
    if (i % 3 === 0) darks += d;
    else lines += d;
  }
  s += `<g clip-path="url(#b)">${circle(CX, CY, 152, base)}${stroke(darks, mix(base, '#7A4A14', 0.35), flat ? 18 : 9)}${stroke(lines, hi, flat ? 16 : 8)}</g>`;
  // kecap-braised diced chicken
  let cubes = '';
  for (let i = 0; i < 11; i++) cubes += `M${r(between(rand, 230, 310))},${r(between(rand, 165, 235))}h16v14h-16z`;
  s += `<path d="${cubes}" fill="#8A4A1C" stroke="#8A4A1C" stroke-width="10" stroke-linejoin="round"/>`;
  s += stroke(specks(rand, 270, 200, 36, 30, 8, 6), '#B5713A', 5);
  // choy sum
  s += `<g transform="translate(392,300) rotate(${r(between(rand, -30, 10))})"><path d="M-80,10C-60,-40 10,-44 30,-6C6,22 -50,30 -80,10Z" fill="#2F7F35"/><path d="M-72,8C-40,-6 0,-8 70,6" stroke="#A8D56C" stroke-width="10" stroke-linecap="round" fill="none"/><path d="M-70,24C-30,40 20,34 40,14C20,0 -40,0 -70,24Z" fill="#3E9440"/></g>`;
  if (n.includes('bakso'))
    for (let i = 0; i < 3; i++) {
      const x = 380 + i * 34;
      const y = 180 + (i % 2) * 26;
      s += circle(x, y, 22, '#9A7B63') + circle(x - 7, y - 7, 7, '#C9AE95');
    }
  if (n.includes('pangsit') || n.includes('komplit'))
    s +=
      fill(blob(rand, 240, 300, 40, 30, 8, 0.5), '#F3E6C8', ' stroke="#E0C99A" stroke-width="3"') +
      fill(blob(rand, 232, 296, 16, 12, 6, 0.3), '#E7B98C');
  if (n.includes('jamur'))
    s += stroke(specks(rand, 330, 180, 40, 30, 6, 0), '#6B4A30', 16) + stroke(specks(rand, 330, 180, 40, 30, 5, 0), '#9C7656', 7);
  if (n.includes('ceker')) s += stroke('M420,170l30,-30m-30,30l36,-10m-36,10l26,24', '#C98A4C', 12);
  // scallion rings and fried shallots
  let rings = '';
  for (let i = 0; i < 9; i++) rings += `M${r(between(rand, 220, 420))},${r(between(rand, 140, 340))}m-6,0a6,6 0 1,0 12,0a6,6 0 1,0 -12,0`;
  s += stroke(rings, '#5DB33E', 4) + stroke(specks(rand, 320, 240, 110, 100, 18, 0), '#9B5A24', 6);
  s += stroke('M532,60L592,420M562,56L612,414', '#B07A43', 11) + stroke('M532,60L544,132M562,56L572,128', '#7E5028', 11);
  return s;
}

function drink(rand: Rand, name: string, brand: string): string {
  const n = name.toLowerCase();
  const kopi = n.includes('kopi');
  const liquid = n.includes('jeruk')
    ? '#F39A1E'
    : kopi
      ? '#C89B6D'
      : n.includes('jahe')
        ? '#D9A441'
        : n.includes('cincau')
          ? '#7A5A3A'
          : '#A8461A';
  const surface = mix(liquid, '#FFFFFF', 0.28);
  const hot = n.includes('jahe') || n.includes('hangat') || n.includes('panas');
  let s = `<ellipse cx="${CX}" cy="420" rx="150" ry="34" fill="${mix(brand, '#3A2210', 0.3)}"/><ellipse cx="${CX}" cy="414" rx="140" ry="28" fill="${mix(brand, '#FFFFFF', 0.15)}"/>`;
  s += `<ellipse cx="${CX + 16}" cy="418" rx="96" ry="18" fill="#3A2210" opacity=".3" filter="url(#s)"/>`;
  s += hot
    ? stroke('M350,170L430,14', '#C5D98A', 16) +
      stroke('M402,68L430,14', '#8DAE4A', 16) +
      stroke('M270,50q-16,-20 0,-40M320,46q-16,-20 0,-40', '#fff', 6, ' opacity=".7"')
    : `<path d="M350,160L438,22" stroke="${brand}" stroke-width="14" stroke-linecap="round"/><path d="M350,160L438,22" stroke="#fff" stroke-width="14" stroke-dasharray="12 12" opacity=".75"/>`;
  s += `<path d="M216,72L238,410A82,16 0 0,0 402,410L424,72Z" fill="#FFFFFF" opacity=".4"/>`;
  s += `<path d="M223,150L240,406A80,14 0 0,0 400,406L417,150Z" fill="${liquid}"/>`;
  if (kopi) s += `<path d="M231,280Q270,262 320,282T410,276L400,406A80,14 0 0,1 240,406Z" fill="#6A3D1F"/>`;
  s += `<ellipse cx="${CX}" cy="150" rx="97" ry="17" fill="${surface}"/>`;
  for (let i = 0; i < (hot ? 0 : 4); i++) {
    const x = between(rand, 250, 370);
    const y = between(rand, 130, 210);
    s += `<rect x="${r(x)}" y="${r(y)}" width="44" height="40" rx="9" fill="#fff" opacity=".5" stroke="#fff" stroke-width="3" transform="rotate(${r(between(rand, -25, 25))} ${r(x + 22)} ${r(y + 20)})"/>`;
  }
  if (!hot) s += `<path d="M350,160L366,135" stroke="${brand}" stroke-width="14" stroke-linecap="round"/>`;
  s += `<path d="M232,100L252,396" stroke="#fff" stroke-width="12" stroke-linecap="round" opacity=".45"/><path d="M404,110L396,240" stroke="#fff" stroke-width="6" stroke-linecap="round" opacity=".35"/>`;
  s += `<ellipse cx="${CX}" cy="72" rx="104" ry="19" fill="none" stroke="#fff" stroke-width="4" opacity=".85"/>`;
  s += stroke(specks(rand, CX, 300, 80, 100, 14, 0), '#fff', 5, ' opacity=".6"');
  if (!kopi) s += use('l', 226, 92, between(rand, 0, 90), ` color="${n.includes('jeruk') ? '#F08C1A' : '#63A43A'}"`);
  return s;
}

function side(rand: Rand, name: string, brand: string): string {
  const n = name.toLowerCase();
  let s = shadow(170, 170) + plate(brand);
  if (n.includes('tahu') || n.includes('tempe')) {
    for (let i = 0; i < 5; i++) {
      const tahu = i < 2;
      const x = tahu ? 250 + i * 90 : 200 + (i - 2) * 78;
      const y = tahu ? 180 + i * 14 : 290 - (i % 2) * 18;
      const w = tahu ? 74 : 70;
      const h = tahu ? 70 : 100;
      s += `<g transform="translate(${x},${y}) rotate(${r(between(rand, -18, 18))})">`;
      s += tahu
        ? `<rect x="-37" y="-35" width="74" height="70" rx="14" fill="#C9802A"/><rect x="-30" y="-30" width="58" height="54" rx="11" fill="#E7A545"/>`
        : `<rect x="-35" y="-50" width="70" height="100" rx="9" fill="#9C6A2C"/><rect x="-29" y="-44" width="58" height="88" rx="7" fill="#B98442"/>`;
      s += stroke(specks(rand, 0, 0, w * 0.36, h * 0.36, tahu ? 7 : 16, 0), tahu ? '#F6CF7E' : '#EEDCAE', tahu ? 8 : 9) + '</g>';
    }
  } else if (n.includes('kerupuk')) {
    for (let i = 0; i < 4; i++) {
      const x = 260 + (i % 2) * 90;
      const y = 190 + Math.floor(i / 2) * 95;
      s +=
        fill(blob(rand, x, y, 60, 48, 12, 0.45), '#F2BF8E', ' stroke="#D8956A" stroke-width="3"') +
        stroke(specks(rand, x, y, 46, 36, 9, 0), '#DC9868', 7);
    }
  } else if (n.includes('pangsit')) {
    for (let i = 0; i < 6; i++) {
      const a = (i / 6) * Math.PI * 2 + rand();
      const x = 300 + Math.cos(a) * (i ? 72 : 0);
      const y = 240 + Math.sin(a) * (i ? 64 : 0);
      s += fill(blob(rand, x, y, 52, 44, 13, 0.42), '#C98331') + fill(blob(rand, x - 3, y - 3, 40, 33, 9, 0.4), '#E9AE55');
      s += circle(x + between(rand, -6, 6), y + between(rand, -6, 6), 13, '#B8702A') + circle(x - 4, y - 4, 5, '#F7D48C');
    }
  } else if (n.includes('telur')) {
    s +=
      friedEgg(rand, 300, 240, 100) +
      stroke(specks(rand, 300, 240, 80, 70, 14, 0), '#4A3A2E', 4) +
      stroke(specks(rand, 300, 240, 70, 60, 6, 0), '#5DAA3A', 8);
  } else {
    // crispy pieces: chicken skin, fried meatballs
    const round = n.includes('bakso');
    for (let i = 0; i < 7; i++) {
      const a = (i / 7) * Math.PI * 2 + rand();
      const x = 300 + Math.cos(a) * (i ? 70 : 0);
      const y = 245 + Math.sin(a) * (i ? 60 : 0);
      s += round
        ? circle(x, y, 34, '#8C5A34') + circle(x - 10, y - 10, 12, '#B98058')
        : fill(blob(rand, x, y, 46, 30, 9, 0.6), '#C9782E') + fill(blob(rand, x - 4, y - 4, 32, 18, 8, 0.6), '#E6A04A');
    }
    s += stroke(specks(rand, 300, 245, 110, 100, 20, 0), '#F1C06A', 7);
  }
  s +=
    circle(436, 346, 44, '#FFFFFF') +
    circle(436, 346, 34, '#B8241C') +
    circle(430, 340, 24, '#DD3B2A') +
    stroke(specks(rand, 434, 344, 24, 24, 8, 0), '#F7D27C', 4);
  return s;
}

/** A 640×480 SVG illustration of a dish, tinted with the brand colour. Deterministic for a given input. */
export function foodPhotoSvg(opts: FoodPhotoOptions): string {
  const rand = prng(opts.seed * 2654435761 + opts.kind.length);
  const brand = /^#[0-9a-fA-F]{6}$/.test(opts.brandColor) ? opts.brandColor : '#C0703A';
  const light = mix('#FBF1E4', brand, 0.12);
  const dark = mix('#E9D3B8', brand, 0.3);
  let body: string;
  let garnish: string[];
  switch (opts.kind) {
    case 'rice':
      body = rice(rand, opts.name, brand);
      garnish = ['c', 'c2', 'lime', 'garlic', 'f'];
      break;
    case 'noodle':
      body = noodle(rand, opts.name, brand);
      garnish = ['c', 'f', 'garlic', 'lime'];
      break;
    case 'chicken':
      body = chicken(rand, opts.name);
      garnish = ['c', 'c2', 'lime', 'garlic'];
      break;
    case 'drink':
      body = drink(rand, opts.name, brand);
      garnish = opts.name.toLowerCase().includes('kopi')
        ? ['bean']
        : opts.name.toLowerCase().includes('jeruk')
          ? ['orange', 'f']
          : ['lime', 'f'];
      break;
    default:
      body = side(rand, opts.name, brand);
      garnish = ['c', 'c2', 'f', 'lime'];
  }
  // The noodle bowl's chopsticks take the right-hand side; the glass leaves room everywhere.
  const avoid = opts.kind === 'noodle' ? [1, 3, 5] : [];
  const extras = scatter(rand, garnish, opts.kind === 'drink' ? 2 : 3, avoid);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 480" width="640" height="480">` +
    `<defs><radialGradient id="g" cx=".5" cy=".42" r=".75"><stop offset="0" stop-color="${light}"/><stop offset="1" stop-color="${dark}"/></radialGradient>${DEFS}</defs>` +
    `<rect width="640" height="480" fill="url(#g)"/>` +
    stroke('M0,118H640M0,238H640M0,358H640', mix(dark, '#7A5030', 0.18), 3, ' opacity=".6"') +
    extras +
    body +
    `</svg>`
  );
}
