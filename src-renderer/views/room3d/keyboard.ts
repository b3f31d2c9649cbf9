// Keyboard navigation between cabinets: left/right along the selection's row (by position),
// up/down to the nearest cabinet of the neighbouring row. Pure, over the placement.
import type { PlacedCabinet } from './placement';

export function nextCabinet(cabinets: readonly PlacedCabinet[], selected: string | null, key: string): string | null {
  if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(key)) return null;
  const first = cabinets[0];
  if (!first) return null;
  const cur = cabinets.find((c) => c.id === selected);
  if (!cur) return first.id;
  const rowIds = [...new Set(cabinets.map((c) => c.rowId))];
  const row = cabinets.filter((c) => c.rowId === cur.rowId); // in position order, as placed
  const i = row.indexOf(cur);
  if (key === 'ArrowRight') return (row[Math.min(row.length - 1, i + 1)] ?? cur).id;
  if (key === 'ArrowLeft') return (row[Math.max(0, i - 1)] ?? cur).id;
  const r = rowIds.indexOf(cur.rowId) + (key === 'ArrowDown' ? 1 : -1);
  const otherId = rowIds[Math.max(0, Math.min(rowIds.length - 1, r))];
  const other = cabinets.filter((c) => c.rowId === otherId);
  let best = cur;
  let bestD = Infinity;
  for (const c of other) {
    const d = (c.x - cur.x) ** 2 + (c.z - cur.z) ** 2;
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best.id;
}
