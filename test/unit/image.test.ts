// The screenshot decoders and the half-block renderer on fixed images: a gradient, a
// checkerboard, odd sizes, a 1x1 pane, empty panes; PNGs made with each of the five filters,
// the test driver's real screenshot (PNG, grey) and QEMU's (PPM, lab 1).
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import {
  ansi16, decodeImage, decodePng, decodePnm, fitSize, halfBlocks, ImageError, scale, xterm256, type Image,
} from '../../src/libvirt/image.ts';
import { FIXTURES } from '../helpers.ts';

const fx = (name: string) => readFileSync(join(FIXTURES, 'screen', name));

function ppm(w: number, h: number, px: (x: number, y: number) => [number, number, number], comment = ''): Uint8Array {
  const head = Buffer.from(`P6\n${comment ? `# ${comment}\n` : ''}${w} ${h}\n255\n`);
  const body = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) body.set(px(x, y), 3 * (y * w + x));
  return Buffer.concat([head, body]);
}

const gradient = (w: number, h: number) => ppm(w, h, (x) => { const v = Math.round((255 * x) / Math.max(1, w - 1)); return [v, v, v]; });
const checker = (w: number, h: number, size = 1) => ppm(w, h, (x, y) => ((Math.floor(x / size) + Math.floor(y / size)) % 2 ? [255, 255, 255] : [0, 0, 0]));

/** A PNG of RGB rows, each row filtered with `filter(y)` (the encoder side of the five filters). */
function png(w: number, h: number, px: (x: number, y: number) => [number, number, number], filter: (y: number) => number, ctype = 2): Uint8Array {
  const ch = ctype === 2 ? 3 : ctype === 6 ? 4 : 1;
  const stride = w * ch;
  const rows: number[][] = [];
  for (let y = 0; y < h; y++) {
    const r: number[] = [];
    for (let x = 0; x < w; x++) {
      const [R, G, B] = px(x, y);
      if (ch === 1) r.push(R); else r.push(R, G, B, ...(ch === 4 ? [255] : []));
    }
    rows.push(r);
  }
  const raw: number[] = [];
  for (let y = 0; y < h; y++) {
    const f = filter(y);
    raw.push(f);
    for (let i = 0; i < stride; i++) {
      const x = rows[y]![i]!;
      const a = i >= ch ? rows[y]![i - ch]! : 0;
      const b = y ? rows[y - 1]![i]! : 0;
      const c = y && i >= ch ? rows[y - 1]![i - ch]! : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f]!;
      raw.push((x - pred) & 0xff);
    }
  }
  const chunk = (type: string, data: Uint8Array) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = ctype;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.from(raw))), chunk('IEND', Buffer.alloc(0))]);
}

const pixel = (img: Image, x: number, y: number) => [...img.rgb.subarray(3 * (y * img.width + x), 3 * (y * img.width + x) + 3)];

test('PPM P6: header with a comment, size and pixels', (t) => {
  const img = decodePnm(checker(3, 2));
  t.is(img.width, 3);
  t.is(img.height, 2);
  t.deepEqual(pixel(img, 0, 0), [0, 0, 0]);
  t.deepEqual(pixel(img, 1, 0), [255, 255, 255]);
  t.deepEqual(pixel(img, 0, 1), [255, 255, 255]);
  t.deepEqual(pixel(decodePnm(ppm(1, 1, () => [1, 2, 3], 'made by a test')), 0, 0), [1, 2, 3]);
});

test('PPM P3 (text) and P5 (grey), a maxval other than 255 is scaled', (t) => {
  const p3 = decodePnm(Buffer.from('P3\n# c\n2 1\n15\n15 0 0  0 15 0\n'));
  t.deepEqual(pixel(p3, 0, 0), [255, 0, 0]);
  t.deepEqual(pixel(p3, 1, 0), [0, 255, 0]);
  const p5 = decodePnm(Buffer.concat([Buffer.from('P5 2 1 255\n'), Buffer.from([7, 200])]));
  t.deepEqual(pixel(p5, 1, 0), [200, 200, 200]);
});

test('PPM: truncated or foreign data is refused with the reason', (t) => {
  t.throws(() => decodePnm(checker(4, 4).subarray(0, 20)), { instanceOf: ImageError, message: /truncated/ });
  t.throws(() => decodePnm(Buffer.from('P6\n')), { instanceOf: ImageError });
  t.throws(() => decodeImage(Buffer.from('GIF89a')), { message: /unknown image format/ });
});

test('PNG: each of the five filters gives back the same pixels', (t) => {
  const px = (x: number, y: number): [number, number, number] => [(x * 37 + y * 11) & 0xff, (x * 5 + y * 90) & 0xff, (x ^ y) * 9 & 0xff];
  const want = decodePnm(ppm(7, 5, px));
  for (let f = 0; f <= 4; f++) {
    const img = decodePng(png(7, 5, px, () => f));
    t.deepEqual([...img.rgb], [...want.rgb], `filter ${f}`);
  }
  // a filter per row, as encoders choose them
  t.deepEqual([...decodePng(png(7, 5, px, (y) => (y * 3) % 5)).rgb], [...want.rgb]);
  // RGBA and grey
  t.deepEqual([...decodePng(png(7, 5, px, () => 4, 6)).rgb], [...want.rgb]);
  t.deepEqual(pixel(decodePng(png(3, 1, (x) => [x * 100, 0, 0], () => 1, 0)), 2, 0), [200, 200, 200]);
});

test('PNG: the test driver\'s real screenshot (1120x832, 8-bit grey)', (t) => {
  const img = decodeImage(fx('test-driver.png'));
  t.is(img.width, 1120);
  t.is(img.height, 832);
  // not one flat colour
  t.true(new Set(img.rgb).size > 2);
});

test('PNG: interlaced and corrupt images are refused', (t) => {
  const good = Buffer.from(png(2, 2, () => [1, 2, 3], () => 0));
  const inter = Buffer.from(good); inter[8 + 8 + 12] = 1; // IHDR's interlace byte
  t.throws(() => decodePng(inter), { message: /interlaced/ });
  t.throws(() => decodePng(good.subarray(0, 40)), { instanceOf: ImageError });
});

test('fitSize keeps the aspect ratio in half-block pixels, never 0 in a real pane, 0 in an empty one', (t) => {
  t.deepEqual(fitSize(640, 480, 80, 24), { w: 64, h: 48 });
  t.deepEqual(fitSize(720, 400, 80, 20), { w: 72, h: 40 });
  t.deepEqual(fitSize(1000, 10, 3, 1), { w: 3, h: 1 });
  t.deepEqual(fitSize(1, 1, 1, 1), { w: 1, h: 1 });
  t.deepEqual(fitSize(640, 480, 0, 24), { w: 0, h: 0 });
  t.deepEqual(fitSize(0, 480, 80, 24), { w: 0, h: 0 });
});

test('scale: a box filter (a 2x2 checkerboard to 1x1 is its mean)', (t) => {
  const img = decodePnm(checker(2, 2));
  t.deepEqual(pixel(scale(img, 1, 1), 0, 0), [128, 128, 128]);
  t.deepEqual([...scale(img, 2, 2).rgb], [...img.rgb]);
});

test('colours: the xterm cube and grey ramp, the 16 ANSI colours', (t) => {
  t.is(xterm256(255, 0, 0), 196);
  t.is(xterm256(0, 0, 0), 16);
  t.is(xterm256(255, 255, 255), 231);
  t.is(xterm256(128, 128, 128), 244);
  t.is(ansi16(0, 0, 0), 0);
  t.is(ansi16(255, 255, 255), 15);
  t.is(ansi16(200, 0, 0), 1);
});

test('half blocks, 256 colours: a gradient goes dark to light across, fg = upper pixel, bg = lower', (t) => {
  const cells = halfBlocks(decodePnm(gradient(16, 4)), 16, 2, 256);
  t.is(cells.length, 2);
  t.is(cells[0]!.length, 16);
  t.true(cells.every((r) => r.every((c) => c.ch === '▀')));
  t.is(cells[0]![0]!.fg, 16); // black
  t.is(cells[0]![15]!.fg, 231); // white
  // the palette's own levels: the cube (16-231) or the grey ramp (232-255)
  const level = (i: number) => (i >= 232 ? 8 + 10 * (i - 232) : [0, 95, 135, 175, 215, 255][(i - 16) % 6]!);
  const levels = cells[0]!.map((c) => level(c.fg));
  t.deepEqual(levels, [...levels].sort((a, b) => a - b));
  t.is(cells[0]![3]!.fg, cells[0]![3]!.bg);
});

test('half blocks: a checkerboard of 1-pixel squares at its own size alternates fg and bg per cell', (t) => {
  const cells = halfBlocks(decodePnm(checker(4, 4)), 4, 2, 16);
  t.deepEqual(cells[0]!.map((c) => [c.fg, c.bg]), [[0, 15], [15, 0], [0, 15], [15, 0]]);
  t.deepEqual(cells[1], cells[0]);
  // without colour: lit upper pixel '▀', lit lower '▄'
  const mono = halfBlocks(decodePnm(checker(4, 4)), 4, 2, 'mono');
  t.deepEqual(mono.map((r) => r.map((c) => c.ch).join('')), ['▄▀▄▀', '▄▀▄▀']);
  t.true(mono.flat().every((c) => c.fg === -1 && c.bg === -1));
  // 2-pixel squares: whole cells lit or dark
  t.deepEqual(halfBlocks(decodePnm(checker(4, 4, 2)), 4, 2, 'mono').map((r) => r.map((c) => c.ch).join('')), ['  ██', '██  ']);
});

test('half blocks: an image is centred and the rest of the pane left blank; an odd height leaves the last lower half blank', (t) => {
  // 4x3 pixels in a 10x5 pane: scale min(10/4, 10/3) = 2.5 -> 10 x 8 pixels = 10 x 4 cells, one blank row under
  const cells = halfBlocks(decodePnm(checker(4, 3)), 10, 5, 256);
  t.is(cells.length, 5);
  t.true(cells.every((r) => r.length === 10));
  t.true(cells[4]!.every((c) => c.ch === ' '));
  // a wide image in a tall pane: blank rows above and below
  const wide = halfBlocks(decodePnm(gradient(8, 2)), 8, 6, 256);
  t.deepEqual(wide.map((r) => r[0]!.ch).join(''), '  ▀   ');
  // 3x3 pixels in a 3x2 pane: 3 pixel rows = 2 cell rows, the lower half of the last is the terminal's
  const odd = halfBlocks(decodePnm(checker(3, 3)), 3, 2, 256);
  t.is(odd[1]![0]!.bg, -1);
  t.not(odd[0]![0]!.bg, -1);
});

test('half blocks: a 1x1 pane shows one cell; an empty pane or image shows nothing', (t) => {
  const one = halfBlocks(decodePnm(gradient(640, 480)), 1, 1, 256);
  t.is(one.length, 1);
  t.is(one[0]!.length, 1);
  t.is(one[0]![0]!.ch, '▀');
  t.deepEqual(halfBlocks(decodePnm(gradient(5, 5)), 0, 10, 256), []);
  t.deepEqual(halfBlocks(decodePnm(gradient(5, 5)), 10, 0, 'mono'), []);
  t.deepEqual(halfBlocks({ width: 0, height: 0, rgb: new Uint8Array() }, 3, 1, 16), [[{ ch: ' ', fg: -1, bg: -1 }, { ch: ' ', fg: -1, bg: -1 }, { ch: ' ', fg: -1, bg: -1 }]]);
  // one flat colour without colour: nothing stands out, nothing lit
  t.true(halfBlocks(decodePnm(ppm(4, 4, () => [90, 90, 90])), 4, 2, 'mono').flat().every((c) => c.ch === ' '));
});

test('QEMU\'s real screenshots (lab 1, a VGA text console: PNG 720x400): decoded, and typing changed the drawn cells', (t) => {
  const ready = decodeImage(fx('qemu-ready.png'));
  const typed = decodeImage(fx('qemu-typed.png'));
  t.deepEqual([ready.width, ready.height], [720, 400]);
  const draw = (img: Image) => halfBlocks(img, 80, 22, 256).map((r) => r.map((c) => `${c.fg}/${c.bg}`).join(' ')).join('\n');
  t.not(draw(ready), draw(typed));
  // kernel text on black: most cells dark, some lit
  const cells = halfBlocks(ready, 80, 22, 'mono').flat();
  t.true(cells.filter((c) => c.ch !== ' ').length > 50);
  t.true(cells.filter((c) => c.ch === ' ').length > cells.length / 2);
});
