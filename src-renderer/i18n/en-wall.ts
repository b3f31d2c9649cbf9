// English strings of wall mode (views/wall): the stale banner, the alarm ticker, the playlist's
// states. Spread into en.ts.
export const enWall = {
  'wall.stale': 'Data stale since {time}',
  'wall.tickerNone': 'No firing alarms',
  'wall.loading': 'Loading the playlist…',
  'wall.deleted': 'This playlist was deleted. Point this screen at another one.',
  'wall.action.playlist': 'loading the wall playlist',
} as const;
