// The wall route's URL: #/wall/<playlistId>, optionally with ?kiosk=<token> (a kiosk URL: the
// screen signs in with it, then the URL is replaced so the token is not shown) and, for tests
// and the soak benchmark, parameters that change the pace:
//   speed=<factor>    every dwell divided by factor (speed=10: a 30 s view shows for 3 s)
//   intervalMs=<ms>   every view shows for exactly this long (wins over speed; at least 50 ms)
//   stallS=<s>        the watchdog reloads after this long without an animation frame (default 30)
//   heapMb=<MB>       the watchdog reloads once the JS heap is above this (default: 70% of the limit, at most 1 GB)
// These are wall-only; the rest of the console ignores them.

export interface WallParams {
  playlistId: string;
  kiosk: string | null;
  speed: number;
  intervalMs: number | null;
  stallMs: number;
  heapBytes: number | null;
}

const positive = (v: string | null): number | null => {
  if (v === null || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : null;
};

/** The wall parameters of a location.hash, or null when it is not a wall route. */
export function parseWallHash(hash: string): WallParams | null {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const m = /^\/wall\/([^/]+)\/?$/.exec(path);
  if (!m?.[1]) return null;
  let playlistId: string;
  try {
    playlistId = decodeURIComponent(m[1]);
  } catch {
    return null;
  }
  const q = new URLSearchParams(query);
  const intervalMs = positive(q.get('intervalMs'));
  const heapMb = positive(q.get('heapMb'));
  return {
    playlistId,
    kiosk: q.get('kiosk') || null,
    speed: positive(q.get('speed')) ?? 1,
    intervalMs: intervalMs === null ? null : Math.max(50, intervalMs),
    stallMs: (positive(q.get('stallS')) ?? 30) * 1000,
    heapBytes: heapMb === null ? null : heapMb * 1024 * 1024,
  };
}

/** The same hash without the kiosk token (every other parameter kept). */
export function withoutKiosk(hash: string): string {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const q = new URLSearchParams(query);
  q.delete('kiosk');
  const rest = q.toString();
  return `#${path}${rest ? `?${rest}` : ''}`;
}

/** How long a view stays, in ms: its dwell or the playlist's interval, paced by the URL. */
export function dwellMs(params: Pick<WallParams, 'speed' | 'intervalMs'>, view: { dwellS?: number }, intervalS: number): number {
  if (params.intervalMs !== null) return params.intervalMs;
  return Math.max(50, ((view.dwellS ?? intervalS) * 1000) / params.speed);
}
