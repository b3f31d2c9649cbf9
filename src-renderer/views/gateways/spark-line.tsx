// A tiny inline SVG line of a node's last figures (no chart library): the shape only, scaled
// between the series' own lowest and highest value; a point the node had no value for (null)
// keeps its place and breaks nothing but is not drawn.
const W = 64;
const H = 16;

export function SparkLine(props: { values: readonly (number | null)[]; testId?: string }) {
  const { values } = props;
  const known = values.flatMap((v, i) => (v === null ? [] : [{ i, v }]));
  if (known.length < 2) return null;
  const lo = Math.min(...known.map((p) => p.v));
  const span = Math.max(...known.map((p) => p.v)) - lo || 1;
  const step = (W - 2) / Math.max(1, values.length - 1);
  const points = known.map((p) => `${(1 + p.i * step).toFixed(1)},${(H - 1 - ((p.v - lo) / span) * (H - 2)).toFixed(1)}`).join(' ');
  return (
    <svg className="gw-spark" viewBox={`0 0 ${W} ${H}`} width={W} height={H} aria-hidden="true" data-testid={props.testId} data-points={known.length}>
      <polyline points={points} fill="none" />
    </svg>
  );
}
