// Where the console is looking, kept in location.hash so a wall screen can be pointed
// at a room by URL and the browser's back button works.
export type Route =
  | { view: 'overview' }
  | { view: 'inventory' }
  | { view: 'room'; roomId: string }
  | { view: 'cabinet'; cabinetId: string };

export function parseRoute(hash: string): Route {
  const [, view, id] = hash.replace(/^#/, '').split('/');
  if (view === 'room' && id) return { view: 'room', roomId: decodeURIComponent(id) };
  if (view === 'cabinet' && id) return { view: 'cabinet', cabinetId: decodeURIComponent(id) };
  if (view === 'inventory') return { view: 'inventory' };
  return { view: 'overview' };
}

export function formatRoute(r: Route): string {
  if (r.view === 'room') return `#/room/${encodeURIComponent(r.roomId)}`;
  if (r.view === 'cabinet') return `#/cabinet/${encodeURIComponent(r.cabinetId)}`;
  if (r.view === 'inventory') return '#/inventory';
  return '#/';
}
