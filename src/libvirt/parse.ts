// Parsers of virsh's text output. Pure: text in, records out. Tested on captures from real virsh 9.
import { DOMAIN_STATES, type DomInfo, type DomStats, type DomainState } from './types.ts';

const stateAlternation = [...DOMAIN_STATES].sort((a, b) => b.length - a.length).map((s) => s.replace(/ /g, '\\s')).join('|');
const LIST_LINE = new RegExp(`^\\s*(\\d+|-)\\s+(.*?)\\s+(${stateAlternation})\\s*$`);

export interface ListRow { id: number | null; name: string; state: DomainState }

/**
 * `virsh -q list --all`. Names may contain spaces (and even a word that is a state), so the
 * state is matched at the end of the line and the name is everything between.
 */
export function parseDomList(text: string): ListRow[] {
  const rows: ListRow[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.trim() || /^\s*Id\s+Name\s+State\s*$/.test(raw) || /^-+$/.test(raw.trim())) continue;
    const m = LIST_LINE.exec(raw);
    if (!m) continue;
    rows.push({ id: m[1] === '-' ? null : Number(m[1]), name: m[2]!, state: m[3]!.replace(/\s+/g, ' ') as DomainState });
  }
  return rows;
}

/** `virsh list --name ...`: one name per line; a name is kept exactly (only the line break is removed). */
export function parseNames(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}

export function toState(s: string): DomainState {
  const t = s.trim().replace(/\s+/g, ' ');
  return (DOMAIN_STATES as readonly string[]).includes(t) ? (t as DomainState) : 'unknown';
}

/**
 * "Key:   value" lines (dominfo, nodeinfo, net-info, pool-info ...); an indented line goes on the
 * value before it, after a "; " (dominfo's Messages, one taint a line).
 */
export function parseKeyValues(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const line of text.split('\n')) {
    const last = out.at(-1);
    if (last && /^\s/.test(line) && line.trim()) { last[1] = last[1] ? `${last[1]}; ${line.trim()}` : line.trim(); continue; }
    const i = line.indexOf(':');
    if (i <= 0) continue;
    out.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
  }
  return out;
}

function kib(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const m = /^(\d+)\s*(KiB|MiB|GiB|k|KB)?$/i.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'KiB').toLowerCase();
  return unit === 'mib' ? n * 1024 : unit === 'gib' ? n * 1024 * 1024 : n;
}

export function parseDominfo(text: string): DomInfo {
  const fields = parseKeyValues(text);
  const get = (k: string) => fields.find(([key]) => key === k)?.[1];
  const id = get('Id');
  const cpu = get('CPU time');
  return {
    id: id && id !== '-' ? Number(id) : null,
    name: get('Name') ?? '',
    uuid: get('UUID') ?? '',
    osType: get('OS Type') ?? '',
    state: toState(get('State') ?? ''),
    vcpus: get('CPU(s)') ? Number(get('CPU(s)')) : undefined,
    cpuTime: cpu ? Number(cpu.replace(/s$/, '')) : undefined,
    memoryMax: kib(get('Max memory')),
    memory: kib(get('Used memory')),
    persistent: get('Persistent') === 'yes',
    autostart: get('Autostart') === 'enable',
    managedSave: get('Managed save') === 'yes',
    fields,
  };
}

/**
 * `virsh domstats --raw ...`: "Domain: 'name'" blocks of "  key=value" lines, every key kept.
 * The poller uses the faster parseSamples (stats.ts); this is its reference in the tests.
 */
export function parseDomstats(text: string): DomStats[] {
  const out: DomStats[] = [];
  let cur: DomStats | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('Domain: ')) {
      // the name is printed between single quotes, without escaping: take everything between the first and the last
      const rest = line.slice('Domain: '.length);
      const name = rest.startsWith("'") && rest.endsWith("'") && rest.length >= 2 ? rest.slice(1, -1) : rest;
      cur = { name, values: new Map() };
      out.push(cur);
    } else if (cur) {
      const t = line.trim();
      const i = t.indexOf('=');
      if (i > 0) cur.values.set(t.slice(0, i), t.slice(i + 1));
    }
  }
  return out;
}

// a character the C.UTF-8 locale cannot print (virsh asks iswprint)
const NOT_PRINTABLE = /^[\p{Cc}\p{Cn}\p{Cs}]$/u;

/**
 * How virsh 9 prints a name in a table (vshTableSafeEncode): a backslash before an x, and every
 * ASCII control character, as \xHH; a character the locale cannot print as \xff per byte (virsh
 * formats a signed char: the byte is lost). Everything else as it is.
 */
export function tableCell(name: string): string {
  const chars = [...name];
  let out = '';
  chars.forEach((c, i) => {
    const code = c.codePointAt(0)!;
    if ((c === '\\' && chars[i + 1] === 'x') || code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (NOT_PRINTABLE.test(c)) out += '\\xff'.repeat(Buffer.byteLength(c));
    else out += c;
  });
  return out;
}

/** A table cell read back: each \xHH is the byte HH. Exact unless virsh lost bytes (\xff). */
export function decodeCell(cell: string): string {
  if (!cell.includes('\\x')) return cell;
  const bytes: number[] = [];
  for (let i = 0; i < cell.length;) {
    const m = /^\\x([0-9a-f]{2})/.exec(cell.slice(i, i + 4));
    if (m) { bytes.push(parseInt(m[1]!, 16)); i += 4; continue; }
    const ch = String.fromCodePoint(cell.codePointAt(i)!);
    bytes.push(...Buffer.from(ch, 'utf8'));
    i += ch.length;
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The exact names behind the name cells of a virsh table: each cell is the name, among `names`
 * (from an output that does not escape: `--name`, XML), that virsh prints as that cell; a cell
 * no name explains (an object defined between the two calls) is decoded.
 */
export function exactNames(cells: readonly string[], names: readonly string[]): string[] {
  const byCell = new Map<string, string>();
  for (const n of names) if (!byCell.has(tableCell(n))) byCell.set(tableCell(n), n);
  return cells.map((c) => byCell.get(c) ?? decodeCell(c));
}

/** `virsh list --all --uuid --name`: "UUID NAME" lines, the name as it is */
export function parseUuidNames(text: string): Array<{ uuid: string; name: string }> {
  const out: Array<{ uuid: string; name: string }> = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}) (.*)$/i.exec(line);
    if (m) out.push({ uuid: m[1]!, name: m[2]! });
  }
  return out;
}

/**
 * The value of `--domain` for a domain: its name, unless virsh would read that name first as an
 * ID (digits: `1` is the running domain with ID 1, not the domain named 1) or as a UUID; then
 * its UUID, which names it alone.
 */
export function domainArg(d: { name: string; uuid?: string }): string {
  const id = /^\s*[+-]?\d+\s*$/.test(d.name);
  const uuid = /^[0-9a-f]{32}$/i.test(d.name.trim().replace(/-/g, ''));
  return d.uuid && (id || uuid) ? d.uuid : d.name;
}
