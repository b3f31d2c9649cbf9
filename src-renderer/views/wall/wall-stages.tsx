// The wall's stage: the current step of the playlist, mounted afresh each rotation, except the
// probe matrix: deck.gl does not give back everything a matrix mount takes (the wall soak's JS
// heap grew ~100 KB a matrix mount), so each distinct matrix step is mounted once, on its first
// turn, and kept (hidden) between its turns. The current stage carries data-current="true".
import { useState } from 'react';
import type { WallView } from '../../../src-shared/domain/wall';
import { WallStep } from './wall-views';

const keepKey = (v: WallView): string | null => (v.view === 'matrix' ? JSON.stringify(v.params) : null);
const noop = () => undefined;

export function WallStages({ views, index, steps, onFail, generation }: { views: readonly WallView[]; index: number; steps: number; onFail: () => void; generation: number }) {
  const view = views[index];
  const current = view ? keepKey(view) : null;
  const [state, setState] = useState<{ generation: number; keys: readonly string[] }>({ generation, keys: [] });
  // A new playlist version starts the kept views afresh; a matrix step's first turn adds it (set while rendering: no extra pass).
  let kept = state.generation === generation ? state.keys : [];
  if (current !== null && !kept.includes(current)) kept = [...kept, current];
  if (kept !== state.keys) setState({ generation, keys: kept });
  const byKey = new Map<string, WallView>();
  for (const v of views) {
    const k = keepKey(v);
    if (k !== null && !byKey.has(k)) byKey.set(k, v);
  }
  const keptViews = kept.flatMap((k) => (byKey.has(k) ? [[k, byKey.get(k) as WallView] as const] : []));
  return (
    <>
      {view && current === null && (
        <section className="wall-stage" key={`${index}:${steps}`} data-current="true" data-testid={`wall-view-${view.view}`} data-index={index}>
          <WallStep view={view} onFail={onFail} />
        </section>
      )}
      {keptViews.map(([k, v]) => {
        const on = k === current;
        return (
          <section className="wall-stage" key={`${generation}:${k}`} hidden={!on} data-current={on ? 'true' : 'false'} data-testid={`wall-view-${v.view}`} data-index={on ? index : -1}>
            <WallStep view={v} onFail={on ? onFail : noop} />
          </section>
        );
      })}
    </>
  );
}
