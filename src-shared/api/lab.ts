// The embedded lab fleet: its state, the faults an operator injects into it, and the install
// profiles its PXE server holds (what a real fleet's PXE server, outside FleetDeck, would).
import { z } from 'zod';
import { method, noArgs, result, text } from './contract';
import { CABINET_FAULTS, DEVICE_FAULTS, INSTALL_CALLBACK_METHODS, installCallbackProblem, LAB_OS_TEMPLATES, MAX_INSTALL_MS, type LabStatus } from '../domain/lab';
import { FEEDS } from '../power-feeds';

const labFault = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.enum(DEVICE_FAULTS), deviceId: text(200) }),
  // feed: one feed's PDU only (trip-pdu / restore-pdu); without it, the whole cabinet.
  z.strictObject({ kind: z.enum(CABINET_FAULTS), cabinetId: text(200), feed: z.enum(FEEDS).optional() }),
  // A fault in the network model between lab hosts: a loss share and/or an added one-way delay on a topology component.
  z.strictObject({
    kind: z.literal('net-fault'),
    component: text(300).regex(/^(host-link|tor|tor-uplink|spine|wan):[^\s]+$/, 'must be a network component: host-link:, tor:, tor-uplink:, spine: or wan: and its id'),
    loss: z.number().min(0, 'must be a share from 0 to 1').max(1, 'must be a share from 0 to 1').optional(),
    delayMs: z.number().min(0, 'must be from 0 to 10000 ms').max(10_000, 'must be from 0 to 10000 ms').optional(),
  }),
]);

const callbackUrl = text(2000).superRefine((url, ctx) => {
  const why = installCallbackProblem(url);
  if (why) ctx.addIssue({ code: 'custom', message: why });
});

const installProfile = z.strictObject({
  os: z.enum(LAB_OS_TEMPLATES),
  hostname: text(253).regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i, 'must be a host name (letters, digits, hyphens; dot-separated labels)'),
  durationMs: z.number().int(`must be an integer from 0 to ${MAX_INSTALL_MS}`).min(0, `must be an integer from 0 to ${MAX_INSTALL_MS}`).max(MAX_INSTALL_MS, `must be an integer from 0 to ${MAX_INSTALL_MS}`),
  callback: z.strictObject({ url: callbackUrl, method: z.enum(INSTALL_CALLBACK_METHODS).optional() }).optional(),
});

export const labMethods = {
  'lab.status': method({ role: 'viewer', args: noArgs, result: result<LabStatus>(), example: undefined }),
  'lab.fault': method({
    role: 'operator',
    args: labFault,
    result: result<LabStatus>(),
    audit: (f) =>
      f.kind === 'net-fault'
        ? `net-fault ${f.component}: loss ${f.loss ?? 0}, +${f.delayMs ?? 0} ms`
        : `${f.kind} ${'deviceId' in f ? f.deviceId : f.cabinetId}${'feed' in f && f.feed ? ` feed ${f.feed}` : ''}`,
    example: { kind: 'kill-device', deviceId: 'dev-1' },
  }),
  'lab.setInstallProfile': method({
    role: 'operator',
    args: z.strictObject({ deviceId: text(200), profile: installProfile.nullable() }),
    result: result<LabStatus>(),
    audit: (a) => `${a.deviceId} ${a.profile ? `${a.profile.os} as ${a.profile.hostname}` : 'cleared'}`,
    example: { deviceId: 'srv-1', profile: { os: 'debian-12', hostname: 'web-01', durationMs: 60_000, callback: { url: 'http://127.0.0.1:8080/installed', method: 'POST' } } },
    doc: 'What the lab\'s PXE server installs on the server\'s next PXE boot (null: nothing); the lab POSTs {sn, hostname, os, status} to the callback when the install ends.',
  }),
};
