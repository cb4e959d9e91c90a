// How many terminal cells a string takes, the way virsh's table printer (wcwidth) counts them. Pure.

/** 0 for combining marks, 2 for East Asian wide and emoji, 1 otherwise */
export function cellWidth(cp: number): number {
  if (cp === 0x200d || (cp >= 0x300 && cp <= 0x36f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) || (cp >= 0xac00 && cp <= 0xd7a3)
    || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6)
    || (cp >= 0x1f300 && cp <= 0x1f64f) || (cp >= 0x1f680 && cp <= 0x1f6ff) || (cp >= 0x1f900 && cp <= 0x1f9ff)
    || (cp >= 0x1fa70 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd)) return 2;
  return 1;
}

/** For each code point of `s`, the cell column it starts at; plus the total width at the end. */
export function columnsOf(s: string): { chars: string[]; cols: number[]; width: number } {
  const chars = [...s];
  const cols: number[] = [];
  let w = 0;
  for (const c of chars) { cols.push(w); w += cellWidth(c.codePointAt(0)!); }
  return { chars, cols, width: w };
}
