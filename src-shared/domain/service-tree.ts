// Hive's service tree (issue 17, seed 003): company > department > product > cluster > service
// group > service > job group > job. A node is named by its path from the company down (at
// most 8 segments, each a name of its own level); what is attached to nodes (hosts, modules,
// alarms, capacity) rolls up to every ancestor, so each level of the view shows its subtree's
// totals. Shared by the core (placement pools are tree nodes) and the renderer's view.
import { z } from 'zod';

export const TREE_LEVELS = ['company', 'department', 'product', 'cluster', 'serviceGroup', 'service', 'jobGroup', 'job'] as const;
export type TreeLevel = (typeof TREE_LEVELS)[number];

const SEGMENT = /^[\p{L}\p{N}][\p{L}\p{N} _.-]{0,63}$/u;
export const treePathSchema = z
  .string()
  .min(1)
  .max(600)
  .transform((s) => s.split('/'))
  .refine((segs) => segs.length <= TREE_LEVELS.length, { message: `A service-tree path has at most ${TREE_LEVELS.length} levels (company to job)` })
  .refine((segs) => segs.every((x) => SEGMENT.test(x)), { message: 'Each level of a service-tree path is a name: letters or digits first, then letters, digits, space, _ . -' });

/** A path's segments, or the reason it is not one. */
export function parseTreePath(path: string): { ok: true; segments: string[]; level: TreeLevel } | { ok: false; reason: string } {
  const r = treePathSchema.safeParse(path);
  if (!r.success) return { ok: false, reason: r.error.issues[0]?.message ?? 'not a service-tree path' };
  return { ok: true, segments: r.data, level: TREE_LEVELS[r.data.length - 1] };
}

export interface TreeAttachments {
  hosts: number;
  modules: number;
  instances: number;
  alarms: number;
}

export interface TreeNode {
  readonly name: string;
  readonly path: string;
  readonly level: TreeLevel;
  /** This node's own attachments and its subtree's. */
  readonly own: TreeAttachments;
  readonly total: TreeAttachments;
  readonly children: TreeNode[];
}

const zero = (): TreeAttachments => ({ hosts: 0, modules: 0, instances: 0, alarms: 0 });

/**
 * The tree from attachments filed by path (each path's parents are made as needed), children
 * sorted by name, totals rolled up. Throws on a path that is not one (with the reason).
 */
export function buildTree(entries: Iterable<{ path: string; add: Partial<TreeAttachments> }>): TreeNode[] {
  type Mut = { name: string; path: string; level: TreeLevel; own: TreeAttachments; total: TreeAttachments; kids: Map<string, Mut> };
  const roots = new Map<string, Mut>();
  for (const e of entries) {
    const p = parseTreePath(e.path);
    if (!p.ok) throw new Error(`${JSON.stringify(e.path)}: ${p.reason}`);
    let level = roots;
    let node: Mut | null = null;
    const chain: Mut[] = [];
    p.segments.forEach((seg, i) => {
      let n = level.get(seg);
      if (!n) level.set(seg, (n = { name: seg, path: p.segments.slice(0, i + 1).join('/'), level: TREE_LEVELS[i], own: zero(), total: zero(), kids: new Map() }));
      chain.push(n);
      node = n;
      level = n.kids;
    });
    const target = node as Mut | null;
    if (!target) continue;
    for (const k of ['hosts', 'modules', 'instances', 'alarms'] as const) {
      const v = e.add[k] ?? 0;
      target.own[k] += v;
      for (const a of chain) a.total[k] += v;
    }
  }
  const freeze = (m: Map<string, Mut>): TreeNode[] =>
    [...m.values()].sort((a, b) => a.name.localeCompare(b.name)).map((n) => ({ name: n.name, path: n.path, level: n.level, own: n.own, total: n.total, children: freeze(n.kids) }));
  return freeze(roots);
}
