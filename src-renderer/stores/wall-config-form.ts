// The wall-config view's playlist form as a pure model: a stored playlist as the form's text
// fields (id, name, interval, theme and the ordered views with their parameters and optional
// dwell), the form read back into what wall.setPlaylist takes (numbers sent as typed: the core
// checks the range and names the field), the list edits (add, remove, move), and which form
// field a refusal's path ("intervalS", "views.1.params.roomId") names.
import { WALL_VIEWS, type WallPlaylist, type WallPlaylistInput, type WallTheme, type WallViewKind } from '../../src-shared/domain/wall';
import { MATRIX_LEVELS, type MatrixLevel } from '../../src-shared/domain/probe';
import { ALARM_SEVERITIES, type AlarmSeverity } from '../../src-shared/domain/alarm';

/** One step of the playlist as the form edits it (every view's parameters kept, only the chosen view's sent). */
export interface ViewRow {
  /** A stable key for React across moves. */
  key: number;
  view: WallViewKind;
  roomId: string;
  level: MatrixLevel;
  /** '' : every severity. */
  minSeverity: AlarmSeverity | '';
  /** '' : the playlist's interval. */
  dwellS: string;
}

export interface PlaylistForm {
  /** True while editing a stored playlist (its id is fixed). */
  existing: boolean;
  id: string;
  name: string;
  intervalS: string;
  theme: WallTheme;
  views: ViewRow[];
}

/** The fields a refusal is shown next to: the playlist's own, and each view row as `views.<i>`. */
export type PlaylistField = 'id' | 'name' | 'intervalS' | 'theme' | 'views' | `views.${number}`;

let nextKey = 1;

export function newRow(view: WallViewKind = 'overview', roomId = ''): ViewRow {
  return { key: nextKey++, view, roomId, level: 'tor', minSeverity: '', dwellS: '' };
}

export function formOf(p: WallPlaylist | null): PlaylistForm {
  if (!p) return { existing: false, id: '', name: '', intervalS: '30', theme: 'dark', views: [newRow()] };
  return {
    existing: true,
    id: p.id,
    name: p.name,
    intervalS: String(p.intervalS),
    theme: p.theme,
    views: p.views.map((v) => ({
      ...newRow(v.view),
      roomId: v.view === 'room' ? v.params.roomId : '',
      level: v.view === 'matrix' ? v.params.level : 'tor',
      minSeverity: v.view === 'alarms' ? (v.params.minSeverity ?? '') : '',
      dwellS: v.dwellS === undefined ? '' : String(v.dwellS),
    })),
  };
}

/** A typed number as sent: the number when it is one, else the text (the core refuses it by field). */
const seconds = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s.trim()));

function viewArgs(r: ViewRow): WallPlaylistInput['views'][number] {
  const dwell = r.dwellS.trim() === '' ? {} : { dwellS: seconds(r.dwellS) };
  if (r.view === 'room') return { view: 'room', params: { roomId: r.roomId }, ...dwell };
  if (r.view === 'matrix') return { view: 'matrix', params: { level: r.level }, ...dwell };
  if (r.view === 'alarms') return { view: 'alarms', params: r.minSeverity ? { minSeverity: r.minSeverity } : {}, ...dwell };
  return { view: 'overview', params: {}, ...dwell };
}

/** What wall.setPlaylist takes from the form. */
export function playlistArgs(f: PlaylistForm): WallPlaylistInput {
  return { id: f.id.trim(), name: f.name, intervalS: seconds(f.intervalS), theme: f.theme, views: f.views.map(viewArgs) };
}

/** The rows with the one at `i` moved by `by` (-1 up, +1 down); out of range: unchanged. */
export function moved<T>(list: readonly T[], i: number, by: -1 | 1): T[] {
  const j = i + by;
  if (i < 0 || j < 0 || i >= list.length || j >= list.length) return [...list];
  const out = [...list];
  [out[i], out[j]] = [out[j] as T, out[i] as T];
  return out;
}

/** The form field a refusal's path names. */
export function playlistFieldOf(path: string): PlaylistField | null {
  const [head = '', index] = path.split('.');
  if (head === 'views') return index !== undefined && /^\d+$/.test(index) ? `views.${Number(index)}` : 'views';
  if (head === 'id' || head === 'name' || head === 'intervalS' || head === 'theme') return head;
  return null;
}

export const VIEW_KINDS: readonly WallViewKind[] = WALL_VIEWS;
export const LEVELS: readonly MatrixLevel[] = MATRIX_LEVELS;
export const SEVERITIES: readonly AlarmSeverity[] = ALARM_SEVERITIES;
