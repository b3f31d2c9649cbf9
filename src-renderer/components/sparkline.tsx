// A small inline SVG line of a series (no chart library): the shape of the last hour,
// with its lowest and highest value for scale.
import { useI18n } from '../i18n/use-i18n';

const W = 260;
const H = 56;
const PAD = 3;

export function Sparkline(props: { points: readonly { ts: number; watts: number }[]; testId?: string }) {
  const { t, num } = useI18n();
  const pts = props.points;
  if (pts.length < 2) {
    return (
      <p className="muted small" data-testid={props.testId} data-points={pts.length}>
        {t('dev.power.noHistory')}
      </p>
    );
  }
  const t0 = pts[0].ts;
  const t1 = pts[pts.length - 1].ts;
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of pts) {
    lo = Math.min(lo, p.watts);
    hi = Math.max(hi, p.watts);
  }
  const span = hi - lo || 1;
  const x = (ts: number) => PAD + ((ts - t0) / (t1 - t0 || 1)) * (W - 2 * PAD);
  const y = (w: number) => H - PAD - ((w - lo) / span) * (H - 2 * PAD);
  const line = pts.map((p) => `${x(p.ts).toFixed(1)},${y(p.watts).toFixed(1)}`).join(' ');
  const area = `${PAD},${H - PAD} ${line} ${W - PAD},${H - PAD}`;
  const label = t('dev.power.range', { lo: num(Math.round(lo)), hi: num(Math.round(hi)) });
  return (
    <figure className="sparkline" data-testid={props.testId} data-points={pts.length}>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={label}>
        <polygon points={area} className="spark-area" />
        <polyline points={line} className="spark-line" fill="none" />
      </svg>
      <figcaption className="muted small">{label}</figcaption>
    </figure>
  );
}
