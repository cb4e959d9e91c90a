// A usage bar for a table cell (pools, hosts). Pure.

/** " 58% █████░░░" : the number first, so a narrow column keeps it */
export function usageBar(used: number | undefined, total: number | undefined, cells = 8): string {
  if (used === undefined || !total) return '-';
  const f = Math.min(1, Math.max(0, used / total));
  const full = Math.round(f * cells);
  return `${`${Math.round(f * 100)}%`.padStart(4)} ${'█'.repeat(full)}${'░'.repeat(cells - full)}`;
}

