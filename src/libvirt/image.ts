// A guest's screen as `virsh screenshot` writes it (QEMU: PPM; the test driver, some others:
// PNG), decoded in process, and drawn as half blocks: one terminal cell shows two pixels, the
// upper one as the foreground of '▀', the lower one as its background. Pure: bytes in, cells out.
import { inflateSync } from 'node:zlib';

/** 8-bit RGB, 3 bytes a pixel, row after row */
export interface Image { width: number; height: number; rgb: Uint8Array }

export class ImageError extends Error {}

// ---------------------------------------------------------------- PPM / PGM (netpbm)

/** P6 / P3 (colour) and P5 / P2 (grey), maxval up to 65535 (scaled to 8 bits). */
export function decodePnm(buf: Uint8Array): Image {
  const magic = String.fromCharCode(buf[0] ?? 0, buf[1] ?? 0);
  if (!/^P[2356]$/.test(magic)) throw new ImageError('not a PPM/PGM image');
  let pos = 2;
  const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
  const token = (): number => {
    for (;;) {
      while (pos < buf.length && isSpace(buf[pos]!)) pos++;
      if (buf[pos] === 0x23) { while (pos < buf.length && buf[pos] !== 0x0a && buf[pos] !== 0x0d) pos++; continue; }
      break;
    }
    const start = pos;
    while (pos < buf.length && buf[pos]! >= 0x30 && buf[pos]! <= 0x39) pos++;
    if (pos === start) throw new ImageError('truncated PPM header');
    return Number(String.fromCharCode(...buf.subarray(start, pos)));
  };
  const width = token();
  const height = token();
  const maxval = token();
  if (!width || !height || !maxval || maxval > 65535) throw new ImageError(`bad PPM header (${width}x${height}, maxval ${maxval})`);
  const channels = magic === 'P6' || magic === 'P3' ? 3 : 1;
  const n = width * height * channels;
  const samples = new Uint16Array(n);
  if (magic === 'P6' || magic === 'P5') {
    pos++; // exactly one whitespace byte ends the header
    const wide = maxval > 255;
    if (buf.length - pos < n * (wide ? 2 : 1)) throw new ImageError('truncated PPM data');
    for (let i = 0; i < n; i++) samples[i] = wide ? (buf[pos + 2 * i]! << 8) | buf[pos + 2 * i + 1]! : buf[pos + i]!;
  } else {
    for (let i = 0; i < n; i++) samples[i] = token();
  }
  const rgb = new Uint8Array(width * height * 3);
  const scale = (v: number) => (maxval === 255 ? v : Math.round((Math.min(v, maxval) * 255) / maxval));
  for (let p = 0; p < width * height; p++) {
    if (channels === 3) { rgb[3 * p] = scale(samples[3 * p]!); rgb[3 * p + 1] = scale(samples[3 * p + 1]!); rgb[3 * p + 2] = scale(samples[3 * p + 2]!); } else rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = scale(samples[p]!);
  }
  return { width, height, rgb };
}

// ---------------------------------------------------------------- PNG

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Non-interlaced PNG, bit depth 1-8 (and 16, its high byte kept), grey, RGB, palette, grey+alpha,
 * RGBA; alpha is dropped (a screen has none). The zlib stream's checksum guards the data.
 */
export function decodePng(buf: Uint8Array): Image {
  if (!PNG_SIG.every((b, i) => buf[i] === b)) throw new ImageError('not a PNG image');
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 8;
  let width = 0, height = 0, depth = 0, ctype = 0, interlace = 0;
  let palette: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  while (pos + 8 <= buf.length) {
    const len = dv.getUint32(pos);
    const type = String.fromCharCode(...buf.subarray(pos + 4, pos + 8));
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (data.length < len) throw new ImageError('truncated PNG');
    if (type === 'IHDR') {
      width = dv.getUint32(pos + 8); height = dv.getUint32(pos + 12);
      depth = data[8]!; ctype = data[9]!; interlace = data[12]!;
    } else if (type === 'PLTE') palette = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  if (!width || !height) throw new ImageError('PNG without a header');
  if (interlace) throw new ImageError('interlaced PNG is not supported');
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[ctype];
  if (!channels || ![1, 2, 4, 8, 16].includes(depth)) throw new ImageError(`unsupported PNG (colour type ${ctype}, depth ${depth})`);
  if (ctype === 3 && !palette) throw new ImageError('palette PNG without a palette');
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (e) {
    throw new ImageError(`bad PNG data (${e instanceof Error ? e.message : String(e)})`);
  }
  const bpp = Math.max(1, (channels * depth) >> 3); // bytes a pixel, for the filters
  const stride = Math.ceil((width * channels * depth) / 8);
  if (raw.length < height * (stride + 1)) throw new ImageError('truncated PNG data');
  const cur = new Uint8Array(stride);
  let prev = new Uint8Array(stride);
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      const x = line[i]!;
      switch (f) {
        case 0: cur[i] = x; break;
        case 1: cur[i] = x + a; break;
        case 2: cur[i] = x + b; break;
        case 3: cur[i] = x + ((a + b) >> 1); break;
        case 4: { const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c); cur[i] = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c); break; }
        default: throw new ImageError(`bad PNG filter ${f}`);
      }
    }
    for (let x = 0; x < width; x++) {
      const sample = (ch: number): number => {
        if (depth === 8) return cur[x * channels + ch]!;
        if (depth === 16) return cur[2 * (x * channels + ch)]!;
        const bit = (x * channels + ch) * depth;
        return (cur[bit >> 3]! >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
      };
      const o = 3 * (y * width + x);
      if (ctype === 3) {
        const k = sample(0);
        rgb[o] = palette![3 * k] ?? 0; rgb[o + 1] = palette![3 * k + 1] ?? 0; rgb[o + 2] = palette![3 * k + 2] ?? 0;
      } else if (ctype === 2 || ctype === 6) {
        rgb[o] = sample(0); rgb[o + 1] = sample(1); rgb[o + 2] = sample(2);
      } else {
        const g = depth < 8 ? Math.round((sample(0) * 255) / ((1 << depth) - 1)) : sample(0);
        rgb[o] = rgb[o + 1] = rgb[o + 2] = g;
      }
    }
    prev = Uint8Array.from(cur);
  }
  return { width, height, rgb };
}

/** Whatever `virsh screenshot` wrote, by its first bytes. */
export function decodeImage(buf: Uint8Array): Image {
  if (buf[0] === 0x89 && buf[1] === 0x50) return decodePng(buf);
  if (buf[0] === 0x50 && buf[1]! >= 0x32 && buf[1]! <= 0x36) return decodePnm(buf);
  throw new ImageError(`unknown image format (first bytes ${[...buf.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')})`);
}

// ---------------------------------------------------------------- scaling

/**
 * The size in half-block pixels (cols wide, 2*rows high) an image takes in a pane, keeping its
 * aspect ratio (a cell is about twice as high as wide, so a half-block pixel is about square).
 */
export function fitSize(width: number, height: number, cols: number, rows: number): { w: number; h: number } {
  if (width <= 0 || height <= 0 || cols <= 0 || rows <= 0) return { w: 0, h: 0 };
  const s = Math.min(cols / width, (2 * rows) / height);
  return { w: Math.max(1, Math.min(cols, Math.round(width * s))), h: Math.max(1, Math.min(2 * rows, Math.round(height * s))) };
}

/** The image at w x h: each pixel the mean of the source pixels it covers (text stays readable as grey). */
export function scale(img: Image, w: number, h: number): Image {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * img.height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * img.height) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * img.width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * img.width) / w));
      let r = 0, g = 0, b = 0;
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const o = 3 * (sy * img.width + sx);
          r += img.rgb[o]!; g += img.rgb[o + 1]!; b += img.rgb[o + 2]!;
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = 3 * (y * w + x);
      out[o] = Math.round(r / n); out[o + 1] = Math.round(g / n); out[o + 2] = Math.round(b / n);
    }
  }
  return { width: w, height: h, rgb: out };
}

// ---------------------------------------------------------------- colours

export type ColorMode = 256 | 16 | 'mono';

const CUBE = [0, 95, 135, 175, 215, 255];
/** The xterm palette's first 16, as most terminals show them */
const ANSI16: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 0], [205, 0, 0], [0, 205, 0], [205, 205, 0], [0, 0, 238], [205, 0, 205], [0, 205, 205], [229, 229, 229],
  [127, 127, 127], [255, 0, 0], [0, 255, 0], [255, 255, 0], [92, 92, 255], [255, 0, 255], [0, 255, 255], [255, 255, 255],
];
const dist = (r: number, g: number, b: number, c: readonly [number, number, number]) => (r - c[0]) ** 2 + (g - c[1]) ** 2 + (b - c[2]) ** 2;

/** The nearest xterm-256 colour (16-231: the 6x6x6 cube, 232-255: the grey ramp). */
export function xterm256(r: number, g: number, b: number): number {
  const q = (v: number) => (v < 48 ? 0 : v < 115 ? 1 : Math.min(5, Math.floor((v - 35) / 40)));
  const [qr, qg, qb] = [q(r), q(g), q(b)];
  const cube = 16 + 36 * qr + 6 * qg + qb;
  const grey = Math.max(0, Math.min(23, Math.round(((r + g + b) / 3 - 8) / 10)));
  const gv = 8 + 10 * grey;
  return dist(r, g, b, [gv, gv, gv]) < dist(r, g, b, [CUBE[qr]!, CUBE[qg]!, CUBE[qb]!]) ? 232 + grey : cube;
}

/** The nearest of the 16 ANSI colours. */
export function ansi16(r: number, g: number, b: number): number {
  let best = 0;
  for (let i = 1; i < 16; i++) if (dist(r, g, b, ANSI16[i]!) < dist(r, g, b, ANSI16[best]!)) best = i;
  return best;
}

const luma = (rgb: Uint8Array, o: number) => 0.299 * rgb[o]! + 0.587 * rgb[o + 1]! + 0.114 * rgb[o + 2]!;

// ---------------------------------------------------------------- half blocks

/** One drawn cell: fg/bg are palette indices, -1 the terminal's own colour. */
export interface HalfCell { ch: string; fg: number; bg: number }

/**
 * The image in a pane of cols x rows cells, centred, keeping its aspect ratio; empty cells are
 * spaces in the terminal's colours. In colour, every image cell is '▀' (fg = the upper pixel,
 * bg = the lower). Without colour, a pixel is lit when brighter than the middle of the image's
 * darkest and brightest: '▀' '▄' '█' or a space, so that text on a console stays legible.
 */
export function halfBlocks(img: Image, cols: number, rows: number, mode: ColorMode): HalfCell[][] {
  if (cols <= 0 || rows <= 0) return [];
  const blank = (): HalfCell => ({ ch: ' ', fg: -1, bg: -1 });
  const out: HalfCell[][] = Array.from({ length: rows }, () => Array.from({ length: cols }, blank));
  const { w, h } = fitSize(img.width, img.height, cols, rows);
  if (!w || !h) return out;
  const s = scale(img, w, h);
  const x0 = Math.floor((cols - w) / 2);
  const y0 = Math.floor((rows - Math.ceil(h / 2)) / 2);
  let lo = 255, hi = 0;
  if (mode === 'mono') {
    for (let p = 0; p < w * h; p++) { const l = luma(s.rgb, 3 * p); lo = Math.min(lo, l); hi = Math.max(hi, l); }
  }
  const mid = (lo + hi) / 2;
  const color = (o: number) => (mode === 256 ? xterm256(s.rgb[o]!, s.rgb[o + 1]!, s.rgb[o + 2]!) : ansi16(s.rgb[o]!, s.rgb[o + 1]!, s.rgb[o + 2]!));
  for (let cy = 0; cy < Math.ceil(h / 2); cy++) {
    for (let x = 0; x < w; x++) {
      const top = 3 * (2 * cy * w + x);
      const bottom = 2 * cy + 1 < h ? 3 * ((2 * cy + 1) * w + x) : -1;
      let cell: HalfCell;
      if (mode === 'mono') {
        // a flat image (all one shade) shows as dark: nothing stands out in it
        const t = hi > lo && luma(s.rgb, top) > mid;
        const b = bottom >= 0 && hi > lo && luma(s.rgb, bottom) > mid;
        cell = { ch: t && b ? '█' : t ? '▀' : b ? '▄' : ' ', fg: -1, bg: -1 };
      } else {
        cell = { ch: '▀', fg: color(top), bg: bottom >= 0 ? color(bottom) : -1 };
      }
      out[y0 + cy]![x0 + x] = cell;
    }
  }
  return out;
}
