// The lab fault panel's Network form, as pure functions: the component kinds it offers (the
// network model's: a host's link, a ToR, a ToR's uplink, a room's spine layer, a site's WAN
// edge), the component id a kind and an object make ('host-link:<device>'), and the fault a
// form holds: loss in percent (0..100) and one-way delay in ms (0..10000), both 0 clearing
// it. A form that does not hold one names the field and why, so the panel says it beside
// the inputs and sends nothing.
import type { ComponentKind, LabNetFault } from '../../../src-shared/domain';

export const NET_FAULT_KINDS = ['host-link', 'tor', 'tor-uplink', 'spine', 'wan'] as const satisfies readonly ComponentKind[];
export type NetFaultKind = (typeof NET_FAULT_KINDS)[number];

export const MAX_NET_DELAY_MS = 10_000;

export interface NetFaultForm {
  readonly kind: NetFaultKind;
  /** The device (host link), switch or row (ToR, uplink), room (spine) or site (WAN) id. */
  readonly objectId: string;
  /** As typed: percent of packets lost. */
  readonly lossPct: string;
  /** As typed: ms added one way. */
  readonly delayMs: string;
}

export type NetFormProblem = 'noObject' | 'badLoss' | 'badDelay';

export const componentId = (kind: NetFaultKind, objectId: string): string => `${kind}:${objectId}`;

/** 'tor-uplink:dev-x' -> its kind and object id (null: not a component id). */
export function parseComponent(id: string): { kind: NetFaultKind; objectId: string } | null {
  const i = id.indexOf(':');
  const kind = id.slice(0, i) as NetFaultKind;
  return i > 0 && i < id.length - 1 && NET_FAULT_KINDS.includes(kind) ? { kind, objectId: id.slice(i + 1) } : null;
}

/** A number typed into a field, '' meaning 0; NaN for anything else. */
function figure(text: string): number {
  const t = text.trim();
  return t === '' ? 0 : /^\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

/** The fault the form holds, or the first problem with it. */
export function netFaultOf(form: NetFaultForm): { fault: LabNetFault } | { problem: NetFormProblem } {
  if (form.objectId === '') return { problem: 'noObject' };
  const loss = figure(form.lossPct);
  if (!(loss >= 0 && loss <= 100)) return { problem: 'badLoss' };
  const delay = figure(form.delayMs);
  if (!(delay >= 0 && delay <= MAX_NET_DELAY_MS)) return { problem: 'badDelay' };
  return { fault: { kind: 'net-fault', component: componentId(form.kind, form.objectId), loss: Math.round(loss * 100) / 10_000, delayMs: delay } };
}
