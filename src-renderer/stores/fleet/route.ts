// Where the console is looking, kept in location.hash so a wall screen can be pointed
// at a room by URL and the browser's back button works.
import { MATRIX_LEVELS, type MatrixLevel } from '../../../src-shared/domain/probe';

export type Route =
  | { view: 'overview' }
  | { view: 'inventory' }
  | { view: 'run' }
  | { view: 'credentials' }
  | { view: 'audit' }
  | { view: 'room'; roomId: string }
  /** The 3D room; cabinetId flies the camera there, deviceId names the device a search landed on. */
  | { view: 'room3d'; roomId: string; cabinetId: string | null; deviceId: string | null }
  | { view: 'cabinet'; cabinetId: string; deviceId?: string }
  | { view: 'labels'; scope: 'cabinet' | 'row'; id: string }
  | { view: 'scan'; sn?: string }
  | { view: 'device'; deviceId: string }
  /** Workflows: the runs list (no tab), the templates or the statistics. */
  | { view: 'workflows'; tab?: 'templates' | 'stats' }
  | { view: 'wf-launch'; templateId: string }
  /** A template in the editor (#/workflows/templates/<id>); null: a new one (#/workflows/new-template). */
  | { view: 'wf-template'; templateId: string | null }
  /** A workflow run; stepId (and host, for a per-host step) selects a task. */
  | { view: 'wf-run'; runId: string; stepId?: string; host?: string }
  /** The fleet agents (#/agents) and one agent's detail (#/agents/<id>). */
  | { view: 'agents' }
  | { view: 'agent'; agentId: string }
  /** The probe matrix at a level (#/matrix/<level>); tors: the server matrix of two ToRs (#/matrix/server?a=<tor>&b=<tor>). */
  | { view: 'matrix'; level: MatrixLevel; tors: readonly [string, string] | null }
  /** The public network map (#/public-net). */
  | { view: 'public-net' }
  /** The alarms: active list, rules, maintenance windows (#/alarms). */
  | { view: 'alarms' }
  /** The reports: generate, jobs, history with downloads, the daily schedule (#/reports). */
  | { view: 'reports' }
  /** Wall mode's configuration: playlists and kiosk tokens (#/wall-config, admins; views/wall-config). */
  | { view: 'wall-config' }
  /** The MGW gateway clusters' health (#/gateways; views/gateways, stores/gateways.ts). */
  | { view: 'gateways' }
  /** Wall mode: a playlist full screen (#/wall/<playlistId>; views/wall, stores/wall-params.ts). */
  | { view: 'wall'; playlistId: string };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const [, view, id, id2] = path.split('/');
  if (view === 'room3d' && id) return parseRoom3d(id, query);
  if (view === 'workflows') return parseWorkflows(id, id2, query);
  if (view === 'room' && id) return { view: 'room', roomId: decodeURIComponent(id) };
  if (view === 'cabinet' && id) {
    const device = new URLSearchParams(query).get('device');
    return device ? { view: 'cabinet', cabinetId: decodeURIComponent(id), deviceId: device } : { view: 'cabinet', cabinetId: decodeURIComponent(id) };
  }
  if (view === 'labels' && (id === 'cabinet' || id === 'row') && id2) return { view: 'labels', scope: id, id: decodeURIComponent(id2) };
  if (view === 'scan') return id ? { view: 'scan', sn: decodeURIComponent(id) } : { view: 'scan' };
  if (view === 'device' && id) return { view: 'device', deviceId: decodeURIComponent(id) };
  if (view === 'inventory') return { view: 'inventory' };
  if (view === 'run') return { view: 'run' };
  if (view === 'credentials') return { view: 'credentials' };
  if (view === 'audit') return { view: 'audit' };
  if (view === 'agents') return id ? { view: 'agent', agentId: decodeURIComponent(id) } : { view: 'agents' };
  if (view === 'matrix') return parseMatrix(id, query);
  if (view === 'public-net') return { view: 'public-net' };
  if (view === 'alarms') return { view: 'alarms' };
  if (view === 'reports') return { view: 'reports' };
  if (view === 'wall-config') return { view: 'wall-config' };
  if (view === 'gateways') return { view: 'gateways' };
  if (view === 'wall' && id) return { view: 'wall', playlistId: decodeURIComponent(id) };
  return { view: 'overview' };
}

function parseMatrix(id: string | undefined, query: string): Route {
  const level = (MATRIX_LEVELS as readonly string[]).includes(id ?? '') ? (id as MatrixLevel) : 'tor';
  const q = new URLSearchParams(query);
  const a = q.get('a');
  const b = q.get('b');
  return { view: 'matrix', level, tors: level === 'server' && a && b ? [a, b] : null };
}

function parseRoom3d(id: string, query: string): Route {
  const q = new URLSearchParams(query);
  return { view: 'room3d', roomId: decodeURIComponent(id), cabinetId: q.get('cabinet'), deviceId: q.get('device') };
}

function parseWorkflows(id: string | undefined, id2: string | undefined, query: string): Route {
  if (id === 'templates' && id2) return { view: 'wf-template', templateId: decodeURIComponent(id2) };
  if (id === 'new-template') return { view: 'wf-template', templateId: null };
  if (id === 'templates' || id === 'stats') return { view: 'workflows', tab: id };
  if (id === 'launch' && id2) return { view: 'wf-launch', templateId: decodeURIComponent(id2) };
  if (id === 'run' && id2) {
    const q = new URLSearchParams(query);
    const step = q.get('step');
    const host = q.get('host');
    return { view: 'wf-run', runId: decodeURIComponent(id2), ...(step ? { stepId: step, ...(host ? { host } : {}) } : {}) };
  }
  return { view: 'workflows' };
}

function formatWorkflows(r: Extract<Route, { view: 'workflows' | 'wf-launch' | 'wf-run' | 'wf-template' }>): string {
  if (r.view === 'workflows') return r.tab ? `#/workflows/${r.tab}` : '#/workflows';
  if (r.view === 'wf-template') return r.templateId === null ? '#/workflows/new-template' : `#/workflows/templates/${encodeURIComponent(r.templateId)}`;
  if (r.view === 'wf-launch') return `#/workflows/launch/${encodeURIComponent(r.templateId)}`;
  const q = new URLSearchParams();
  if (r.stepId) q.set('step', r.stepId);
  if (r.stepId && r.host) q.set('host', r.host);
  const qs = q.toString();
  return `#/workflows/run/${encodeURIComponent(r.runId)}${qs ? `?${qs}` : ''}`;
}

export function formatRoute(r: Route): string {
  if (r.view === 'workflows' || r.view === 'wf-launch' || r.view === 'wf-run' || r.view === 'wf-template') return formatWorkflows(r);
  if (r.view === 'room3d') {
    const q = new URLSearchParams();
    if (r.cabinetId) q.set('cabinet', r.cabinetId);
    if (r.deviceId) q.set('device', r.deviceId);
    const qs = q.toString();
    return `#/room3d/${encodeURIComponent(r.roomId)}${qs ? `?${qs}` : ''}`;
  }
  if (r.view === 'room') return `#/room/${encodeURIComponent(r.roomId)}`;
  if (r.view === 'cabinet') return `#/cabinet/${encodeURIComponent(r.cabinetId)}${r.deviceId ? `?device=${encodeURIComponent(r.deviceId)}` : ''}`;
  if (r.view === 'labels') return `#/labels/${r.scope}/${encodeURIComponent(r.id)}`;
  if (r.view === 'scan') return r.sn ? `#/scan/${encodeURIComponent(r.sn)}` : '#/scan';
  if (r.view === 'device') return `#/device/${encodeURIComponent(r.deviceId)}`;
  if (r.view === 'inventory') return '#/inventory';
  if (r.view === 'run') return '#/run';
  if (r.view === 'credentials') return '#/credentials';
  if (r.view === 'audit') return '#/audit';
  if (r.view === 'agents') return '#/agents';
  if (r.view === 'agent') return `#/agents/${encodeURIComponent(r.agentId)}`;
  if (r.view === 'matrix') return `#/matrix/${r.level}${r.tors ? `?${new URLSearchParams({ a: r.tors[0], b: r.tors[1] }).toString()}` : ''}`;
  if (r.view === 'public-net') return '#/public-net';
  if (r.view === 'alarms') return '#/alarms';
  if (r.view === 'reports') return '#/reports';
  if (r.view === 'wall-config') return '#/wall-config';
  if (r.view === 'gateways') return '#/gateways';
  if (r.view === 'wall') return `#/wall/${encodeURIComponent(r.playlistId)}`;
  return '#/';
}
