// Hive resource consistency (issue 17; seed 002's "16 resources, 7 inconsistent"): what a module
// declares its hosts must have (packages at a version, config files and files with a SHA-256)
// against what each host's agent reports. A resource is inconsistent when any of the module's
// hosts differs from the declaration: a different version or checksum, or missing. The result
// reads as the seed's line and drills down to host and item; the fix workflow takes the
// `drift` list as its work.
export type ResourceKind = 'package' | 'config' | 'file';

export interface DeclaredResource {
  readonly kind: ResourceKind;
  /** Package name or absolute path. */
  readonly name: string;
  /** Package version, or the file's SHA-256 (hex). */
  readonly want: string;
}

/** What one host's agent reported: per kind and name, the version or checksum it found (absent: not there). */
export interface HostReport {
  readonly host: string;
  readonly items: ReadonlyMap<string, string>;
  /** When the report was taken (ms); a host with no report is listed as unreported, not as consistent. */
  readonly at: number | null;
}

export interface Drift {
  readonly host: string;
  readonly kind: ResourceKind;
  readonly name: string;
  readonly want: string;
  /** What the host has; null when the item is missing there. */
  readonly have: string | null;
}

export interface ConsistencyResult {
  readonly module: string;
  readonly resources: number;
  readonly inconsistent: number;
  /** "16 resources, 7 inconsistent" */
  readonly summary: string;
  /** Per resource: the hosts that differ. */
  readonly byResource: { readonly kind: ResourceKind; readonly name: string; readonly want: string; readonly hosts: readonly Drift[] }[];
  readonly drift: readonly Drift[];
  /** Hosts of the module whose agent has not reported (their state is unknown). */
  readonly unreported: readonly string[];
}

/** The key a report's items are filed under. */
export const itemKey = (kind: ResourceKind, name: string): string => `${kind}:${name}`;

export function checkConsistency(module: string, declared: readonly DeclaredResource[], hosts: readonly string[], reports: ReadonlyMap<string, HostReport>): ConsistencyResult {
  const seen = new Set<string>();
  for (const d of declared) {
    const k = itemKey(d.kind, d.name);
    if (seen.has(k)) throw new Error(`${module}: ${d.kind} ${d.name} is declared twice`);
    seen.add(k);
  }
  const unreported = hosts.filter((h) => reports.get(h)?.at == null);
  const drift: Drift[] = [];
  const byResource = declared.map((d) => {
    const bad: Drift[] = [];
    for (const h of hosts) {
      const r = reports.get(h);
      if (!r || r.at == null) continue;
      const have = r.items.get(itemKey(d.kind, d.name)) ?? null;
      if (have !== d.want) bad.push({ host: h, kind: d.kind, name: d.name, want: d.want, have });
    }
    drift.push(...bad);
    return { kind: d.kind, name: d.name, want: d.want, hosts: bad };
  });
  const inconsistent = byResource.filter((r) => r.hosts.length > 0).length;
  const summary = `${declared.length} resource${declared.length === 1 ? '' : 's'}, ${inconsistent} inconsistent${unreported.length ? ` (${unreported.length} host${unreported.length === 1 ? '' : 's'} not reported)` : ''}`;
  return { module, resources: declared.length, inconsistent, summary, byResource, drift, unreported };
}
