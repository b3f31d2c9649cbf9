// Wall mode: playlists of views a wall screen rotates through (room, matrix, alarms, overview;
// later gateways and clusters), each view with its parameters and an optional dwell of its own,
// at a set interval and theme; the kiosk tokens that let a screen open one playlist as a viewer
// with no login; the heartbeat that tells a screen the event stream is alive. Zod schemas for
// what the API takes; plain types for what the core returns (src-main/core/wall).
import { z } from 'zod';
import { MATRIX_LEVELS } from './probe';
import { ALARM_SEVERITIES } from './alarm';

/** The views a playlist may hold; an issue adding a view appends it here and to wallViewSchema. */
export const WALL_VIEWS = ['room', 'matrix', 'alarms', 'overview'] as const;
export type WallViewKind = (typeof WALL_VIEWS)[number];

export const WALL_THEMES = ['dark', 'light'] as const;
export type WallTheme = (typeof WALL_THEMES)[number];

/** A rotation interval or dwell, in whole seconds: 5 s to 1 h. */
export const WALL_INTERVAL_MIN_S = 5;
export const WALL_INTERVAL_MAX_S = 3600;
/** At most this many views in one playlist. */
export const WALL_MAX_VIEWS = 100;

const seconds = z
  .number({ error: `must be a number of seconds from ${WALL_INTERVAL_MIN_S} to ${WALL_INTERVAL_MAX_S}` })
  .int(`must be a whole number of seconds from ${WALL_INTERVAL_MIN_S} to ${WALL_INTERVAL_MAX_S}`)
  .min(WALL_INTERVAL_MIN_S, `must be at least ${WALL_INTERVAL_MIN_S} s`)
  .max(WALL_INTERVAL_MAX_S, `must be at most ${WALL_INTERVAL_MAX_S} s (1 h)`);

const id = z.string().min(1, 'must be a non-empty string').max(200, 'must be at most 200 characters');
const dwellS = seconds.optional();

/** One step of a playlist: a view, its parameters, and optionally its own dwell (else the playlist's interval). */
export const wallViewSchema = z.discriminatedUnion(
  'view',
  [
    /** One room's floor (the 3D room view's colour mode: status, power, temperature, alarms). */
    z.strictObject({
      view: z.literal('room'),
      params: z.strictObject({ roomId: id, colour: z.enum(['status', 'power', 'temperature', 'alarms']).optional() }),
      dwellS,
    }),
    /** The probe matrix at a level; tors: the server matrix of two ToRs. */
    z.strictObject({
      view: z.literal('matrix'),
      params: z.strictObject({ level: z.enum(MATRIX_LEVELS), tors: z.tuple([id, id]).optional() }).default({ level: 'tor' }),
      dwellS,
    }),
    /** The active alarms, optionally from a least severity. */
    z.strictObject({
      view: z.literal('alarms'),
      params: z.strictObject({ minSeverity: z.enum(ALARM_SEVERITIES).optional() }).default({}),
      dwellS,
    }),
    z.strictObject({ view: z.literal('overview'), params: z.strictObject({}).default({}), dwellS }),
  ],
  { error: () => `must be one of the wall views: ${WALL_VIEWS.join(', ')}` },
);
export type WallView = z.output<typeof wallViewSchema>;

/** A list entry that is not even an object with a view is refused at the entry, not at its (absent) view. */
const wallViewEntry = z
  .custom<z.input<typeof wallViewSchema>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v) && 'view' in v, {
    error: 'must be a view: { view, params, dwellS? }',
  })
  .pipe(wallViewSchema);

/** A playlist as the API takes it (wall.setPlaylist). */
export const wallPlaylistSchema = z.strictObject({
  id,
  name: z.string().trim().min(1, 'must be a non-empty string').max(200, 'must be at most 200 characters'),
  views: z
    .array(wallViewEntry, { error: 'must be a list of views' })
    .min(1, 'must hold at least one view')
    .max(WALL_MAX_VIEWS, `must hold at most ${WALL_MAX_VIEWS} views`),
  intervalS: seconds,
  theme: z.enum(WALL_THEMES).default('dark'),
});
export type WallPlaylistInput = z.input<typeof wallPlaylistSchema>;

/** A stored playlist: what was set, who set it last and when. */
export interface WallPlaylist extends z.output<typeof wallPlaylistSchema> {
  readonly updatedAt: number;
  readonly updatedBy: string;
}

/** A kiosk token as listed (never the token itself: only its hash is stored). */
export interface KioskToken {
  readonly id: string;
  readonly playlistId: string;
  readonly label: string;
  readonly createdAt: number;
  readonly createdBy: string;
  /** The last time a screen signed in with it; null: never. */
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
  readonly revokedBy: string | null;
}

/** What issuing a kiosk token returns, once: the token and the URL carrying it are never shown again. */
export interface IssuedKioskToken {
  readonly id: string;
  readonly playlistId: string;
  readonly token: string;
  /** The part after the console's address: `#/wall/<playlistId>?kiosk=<token>`. */
  readonly path: string;
  /** The full kiosk URL when the console's address is known (given, or serve mode's own); else null. */
  readonly url: string | null;
}

/** The core's heartbeat on the event stream: a screen that hears none for a few beats knows the stream stopped. */
export interface WallHeartbeat {
  /** The core's clock (ms). */
  readonly at: number;
  /** When the poller last completed a poll (ms; as seen at a beat); null: none since the core started. */
  readonly lastPollAt: number | null;
  /** Beats come this often (ms). */
  readonly intervalMs: number;
}
