// Prometheus text exposition (version 0.0.4) for the gateway: the node daemon writes its /metrics
// with renderMetrics (counters, gauges, gauges by label set: src-daemons/mgw/control.ts names
// them), and the console's gateways capability reads them back with parseMetrics. Pure TS.

export interface Sample {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  /** One value, or values by label set. */
  readonly values: number | readonly { readonly labels: Readonly<Record<string, string>>; readonly value: number }[];
}

const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export function renderMetrics(samples: readonly Sample[]): string {
  const out: string[] = [];
  for (const s of samples) {
    out.push(`# HELP ${s.name} ${s.help}`, `# TYPE ${s.name} ${s.type}`);
    if (typeof s.values === 'number') out.push(`${s.name} ${fmt(s.values)}`);
    else for (const v of s.values) out.push(`${s.name}{${Object.entries(v.labels).map(([k, x]) => `${k}="${esc(x)}"`).join(',')}} ${fmt(v.value)}`);
  }
  return `${out.join('\n')}\n`;
}

const fmt = (v: number): string => (Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf');

/** A parsed exposition: name -> samples (labels, value); what the console and the tests read. */
export function parseMetrics(text: string): Map<string, { labels: Record<string, string>; value: number }[]> {
  const out = new Map<string, { labels: Record<string, string>; value: number }[]>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
    const list = out.get(m[1]) ?? [];
    list.push({ labels, value: Number(m[3]) });
    out.set(m[1], list);
  }
  return out;
}
