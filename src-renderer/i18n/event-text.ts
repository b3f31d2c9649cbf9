// A fleet event worded in the user's language from its code and params, falling back to
// the core's English message for events without a code (stored before codes) or with
// params it cannot word. English keeps the core's raw values (up, down, off, pxe), so
// an English event reads exactly as the core's message; other languages word them. Pure.
import type { FleetEvent } from '../../src-shared/domain';
import { isMessageKey, translate, type Lang, type MessageKey, type Vars } from './i18n';

export type WordableEvent = Pick<FleetEvent, 'code' | 'params' | 'message'>;

type Params = NonNullable<FleetEvent['params']>;

const str = (p: Params, k: string): string | null => (typeof p[k] === 'string' ? (p[k] as string) : null);

function valueWord(lang: Lang, key: string, raw: string): string {
  if (lang === 'en' || !isMessageKey(key)) return raw;
  return translate(lang, key);
}

function words(lang: Lang, e: WordableEvent): { key: MessageKey; vars: Vars } | null {
  const p = e.params;
  if (!e.code || !p) return null;
  const hostname = str(p, 'hostname');
  switch (e.code) {
    case 'status.changed': {
      const previous = str(p, 'previous');
      const status = str(p, 'status');
      if (hostname === null || previous === null || status === null) return null;
      const w = (s: string) => valueWord(lang, `status.${s}`, s);
      return { key: 'ev.status.changed', vars: { hostname, previous: w(previous), status: w(status) } };
    }
    case 'interface.changed': {
      const name = str(p, 'name');
      const previous = str(p, 'previous');
      const status = str(p, 'status');
      if (hostname === null || name === null || previous === null || status === null) return null;
      const w = (s: string) => valueWord(lang, `oper.${s}`, s);
      return { key: 'ev.interface.changed', vars: { hostname, name, previous: w(previous), status: w(status) } };
    }
    case 'trap.received': {
      const source = str(p, 'source');
      const kind = str(p, 'kind');
      const name = str(p, 'name');
      const version = str(p, 'version');
      if (source === null || kind === null || name === null || version === null) return null;
      // Well-known trap names (RFC 3418/2863) and the PDU kind are worded; an OID stays as sent.
      return { key: 'ev.trap.received', vars: { source, kind: valueWord(lang, `ev.trapKind.${kind}`, kind), name: valueWord(lang, `ev.trapName.${name}`, name), version } };
    }
    case 'control.power': {
      const action = str(p, 'action');
      const power = str(p, 'power');
      if (hostname === null || action === null || power === null) return null;
      const now = valueWord(lang, power === 'on' ? 'bmc.powerOn' : power === 'off' ? 'bmc.powerOff' : '', power);
      return { key: 'ev.control.power', vars: { hostname, action: valueWord(lang, `power.${action}`, action), power: now } };
    }
    case 'control.identify': {
      if (hostname === null) return null;
      if (p.force === true) return { key: 'ev.control.identifyForced', vars: { hostname } };
      if (typeof p.seconds !== 'number') return null;
      return { key: 'ev.control.identify', vars: { hostname, seconds: p.seconds } };
    }
    case 'control.bootDevice': {
      const device = str(p, 'device');
      if (hostname === null || device === null || typeof p.persistent !== 'boolean') return null;
      const vars = { hostname, device: valueWord(lang, `boot.${device}`, device) };
      return { key: p.persistent ? 'ev.control.bootPersistent' : 'ev.control.bootOnce', vars };
    }
    case 'control.hostKeyForgotten': {
      const fingerprint = str(p, 'fingerprint');
      if (hostname === null || fingerprint === null) return null;
      return fingerprint === ''
        ? { key: 'ev.control.hostKeyForgottenNone', vars: { hostname } }
        : { key: 'ev.control.hostKeyForgotten', vars: { hostname, fingerprint } };
    }
    case 'probe.routeChanged': {
      const target = str(p, 'target');
      const before = str(p, 'before');
      const after = str(p, 'after');
      if (hostname === null || target === null || before === null || after === null) return null;
      return { key: 'ev.probe.routeChanged', vars: { hostname, target, before, after } };
    }
    case 'probe.catchmentMoved': {
      const resolver = str(p, 'resolver');
      const from = str(p, 'from');
      const to = str(p, 'to');
      if (hostname === null || resolver === null || from === null || to === null) return null;
      return { key: 'ev.probe.catchmentMoved', vars: { hostname, resolver, from, to } };
    }
    case 'probe.suspect': {
      const component = str(p, 'component');
      const kind = str(p, 'componentKind');
      if (component === null || kind === null || typeof p.badPairs !== 'number') return null;
      // The kind in words in both languages ('host link', not 'host-link').
      const k = `probe.component.${kind}`;
      return { key: 'ev.probe.suspect', vars: { component, kind: isMessageKey(k) ? translate(lang, k) : kind, badPairs: p.badPairs } };
    }
    default:
      return null;
  }
}

export function eventText(lang: Lang, e: WordableEvent): string {
  const w = words(lang, e);
  return w ? translate(lang, w.key, w.vars) : e.message;
}
