// Text read from a pipe in chunks, searched for an end mark as it grows. A string grown with +=
// and searched again after every chunk costs the square of the answer's size (virsh flushes at
// every prompt, so a 5 MB answer can come in thousands of chunks): here each chunk is looked at
// once, with the few characters before it where a mark cut in two would begin, and the chunks are
// joined once, when the answer is complete.

export class ChunkText {
  private parts: string[] = [];
  /** characters in all parts */
  length = 0;
  /** the mark being looked for, and how far the search went: parts[0..scanPart) are searched */
  private needle = '';
  private scanPart = 0;
  /** where parts[scanPart] starts in the text */
  private scanStart = 0;
  /** the last needle.length - 1 characters searched: a mark may begin there and end in the next part */
  private tail = '';
  /** within parts[scanPart]: where the search resumes (after a join merged searched and new text) */
  private searchFrom = 0;
  /** characters looked at by find(), for the test that proves the search linear */
  examined = 0;

  constructor(text = '') {
    if (text) this.push(text);
  }

  push(d: string): void {
    if (!d) return;
    this.parts.push(d);
    this.length += d.length;
  }

  /** The whole text (joined once; cheap when it is one part already). */
  text(): string {
    if (this.parts.length > 1) {
      this.parts = [this.parts.join('')];
      // the search resumes at the same place of the joined part
      this.searchFrom = this.scanStart + this.searchFrom;
      this.scanStart = 0;
      this.scanPart = 0;
    }
    return this.parts[0] ?? '';
  }

  /** Where `needle` first occurs, or -1; successive calls with the same needle look only at what came since. */
  find(needle: string): number {
    if (needle !== this.needle) {
      this.needle = needle;
      this.scanPart = 0;
      this.scanStart = 0;
      this.searchFrom = 0;
      this.tail = '';
    }
    const keep = needle.length - 1;
    while (this.scanPart < this.parts.length) {
      const p = this.parts[this.scanPart]!;
      const from = this.searchFrom;
      const at = this.scanStart + from;
      // a mark across the seam: it begins in the tail (which then ends with a beginning of the
      // mark: rare, and cheap to rule out) and ends in the first keep characters
      if (this.tail && this.seamMayHold(needle)) {
        const seam = this.tail + p.slice(from, from + keep);
        this.examined += seam.length;
        const j = seam.indexOf(needle);
        if (j >= 0) return at - this.tail.length + j;
      }
      // then the part itself, where it is (no copy of it)
      this.examined += p.length - from;
      const i = p.indexOf(needle, from);
      if (i >= 0) return this.scanStart + i;
      const s = p.length - from >= keep ? p.slice(p.length - keep) : this.tail + p.slice(from);
      this.tail = s.length > keep ? s.slice(s.length - keep) : s;
      this.scanStart += p.length;
      this.scanPart++;
      this.searchFrom = 0;
    }
    return -1;
  }

  /** the tail ends with a beginning of `needle` (only then can a mark run across into the next part) */
  private seamMayHold(needle: string): boolean {
    const t = this.tail;
    for (let i = t.indexOf(needle[0]!); i >= 0; i = t.indexOf(needle[0]!, i + 1)) {
      if (needle.startsWith(t.slice(i))) return true;
    }
    return false;
  }

  /** Keeps only what follows `end` (the next answer's beginning); the search starts over. */
  dropTo(end: number): void {
    const rest = end >= this.length ? '' : this.text().slice(end);
    this.parts = rest ? [rest] : [];
    this.length = rest.length;
    this.needle = '';
  }

  clear(): void {
    this.parts = [];
    this.length = 0;
    this.needle = '';
  }
}
