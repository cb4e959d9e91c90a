// The `/` filter: case-insensitive substring over a row's cells; a leading `!` keeps the rows that do NOT match.
export function rowMatches(cells: readonly string[], filter: string): boolean {
  if (!filter || filter === '!') return true;
  const negate = filter.startsWith('!');
  const needle = (negate ? filter.slice(1) : filter).toLowerCase();
  const hit = cells.some((c) => c.toLowerCase().includes(needle));
  return negate ? !hit : hit;
}
