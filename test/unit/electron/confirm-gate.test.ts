// The desktop's confirmation gate on the whole path the shell takes but Electron: ipc-calls
// with the gate -> CoreHostClient.connect -> an in-memory channel that structured-clones like
// the utilityProcess port -> serveCoreHost -> a real core (createCore, in memory, no lab).
// A scripted ask stands for the native dialog. A declined control call never reaches the core
// (a spy on the host's connections and the core's audit trail both show nothing) and the
// caller gets ConfirmationDeclinedError; a confirmed one runs; each prompt names its target;
// an import that moves a device's address asks (listing it) after a dry run, one that does not
// never asks; malformed arguments are refused without a dialog; one window's dialogs come one
// after the other; a window that closed declines.
import { afterEach, describe, expect, it } from 'vitest';
import type { CallReply, Method } from '../../../src-shared/api';
import type { AuditEntry, Device } from '../../../src-shared/domain';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { createIpcCalls } from '../../../src-main/electron/ipc-calls';
import { coreHostOverChannel } from '../../support/core-host-channel';
import { desktopCallContext } from '../../../src-main/electron/desktop-session';
import { ADDRESS_CHANGES_LISTED, createConfirmGate, MAX_WAITING_CONFIRMATIONS, promptFor, type Ask, type ConfirmPrompt } from '../../../src-main/electron/confirm-gate';
import { oneCabinet } from '../../support/one-cabinet';

const ctx = desktopCallContext('alice');
const WINDOW = 1;
const OTHER = 2;

const dev = (n: number, over: Partial<Device> = {}): Device => ({
  id: `dev-${n}`, cabinetId: 'c', kind: 'server', hostname: `srv-${n}`, sn: `SN-${n}`, uPosition: n, uHeight: 1, mgmtIp: `127.0.0.${n}`,
  snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null, ...over,
});
const inventory = (devices: readonly Device[]) => JSON.stringify(oneCabinet(devices));

let cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.map((c) => c.dispose()));
  cores = [];
});

/** A scripted dialog: records every prompt; answers with `answer` (a function of the prompt, or a promise to hold it open). */
function scriptedAsk(answer: (p: ConfirmPrompt) => boolean | Promise<boolean>) {
  const prompts: ConfirmPrompt[] = [];
  const log: string[] = [];
  const ask: Ask = async (p) => {
    prompts.push(p);
    log.push(`open ${p.message}`);
    try {
      return await answer(p);
    } finally {
      log.push(`close ${p.message}`);
    }
  };
  return { ask, prompts, log };
}

/** The desktop's IPC path with the gate, over a real core holding `devices`; `reached` lists what the host's connections passed to the core. */
async function desktop(ask: Ask | null, devices: readonly Device[] = [dev(1), dev(2)]) {
  const reached: { method: string; args: unknown }[] = [];
  let core: Core | null = null;
  const client = coreHostOverChannel(async (config) => {
      const made = await createCore(config);
      core = made;
      cores.push(made);
      return {
        api: {
          call: made.api.call,
          subscribe: made.api.subscribe,
          connect: (c) => {
            const conn = made.api.connect(c);
            return { call: (method, args) => (reached.push({ method, args }), conn.call(method, args)), dispose: () => conn.dispose() };
          },
        },
        dispose: () => made.dispose(),
      };
    });
  await client.start({ storePath: ':memory:', secretKey: new Uint8Array(32).fill(7), lab: false, eventsFor: ctx });
  const c = core as Core | null;
  if (!c) throw new Error('the core did not start');
  await c.api.call(ctx, 'inventory.import', { format: 'json', text: inventory(devices) });
  const gate = createConfirmGate({ askFor: (senderId) => (senderId === WINDOW || senderId === OTHER ? ask : null) });
  const ipc = createIpcCalls({ connect: () => client.connect(ctx), confirm: gate });
  const trail = async (action: string): Promise<AuditEntry[]> => c.api.call(ctx, 'audit.list', { action });
  const methods = () => reached.map((r) => r.method);
  return { ipc, core: c, reached, methods, trail };
}

const declined = (r: CallReply) => {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.error).toMatchObject({ name: 'ConfirmationDeclinedError', code: 'FORBIDDEN', params: { method: expect.any(String), target: expect.any(String) } });
};

const POWER = { deviceId: 'dev-1', action: 'off', confirmHostname: 'srv-1' } as const;

describe('the confirmation gate: confirm "always"', () => {
  it('refuses a power call the main process did not confirm: it never reaches the core, the caller gets ConfirmationDeclinedError', async () => {
    const d = scriptedAsk(() => false);
    const { ipc, methods, trail } = await desktop(d.ask);
    const r = await ipc.call(WINDOW, 'device.power', POWER);
    declined(r);
    if (!r.ok) expect(r.error.params).toEqual({ method: 'device.power', target: 'off dev-1 (confirmed as "srv-1")' });
    expect(d.prompts).toHaveLength(1);
    expect(methods()).toEqual([]);
    expect(await trail('device.power')).toEqual([]);
    // The English the renderer words it with (test/unit/renderer/i18n/confirm-declined-text.test.ts).
    if (!r.ok) expect(r.error.message).toBe('"device.power" was not confirmed (off dev-1 (confirmed as "srv-1")): nothing was done');
  });

  it('runs a confirmed power call, after a prompt that names the target', async () => {
    const d = scriptedAsk(() => true);
    const { ipc, methods, trail } = await desktop(d.ask);
    const r = await ipc.call(WINDOW, 'device.power', POWER);
    // It reached the core: the device has no BMC, so the core's own answer is an error, not the gate's.
    if (!r.ok) expect(r.error.name).not.toBe('ConfirmationDeclinedError');
    expect(methods()).toEqual(['device.power']);
    expect((await trail('device.power')).map((e) => e.target)).toEqual(['off dev-1 (confirmed as "srv-1")']);
    expect(d.prompts).toHaveLength(1);
    expect(d.prompts[0]).toMatchObject({ title: 'Power control', verb: 'Power off', message: 'Power off srv-1?' });
    expect(d.prompts[0].detail).toContain('dev-1');
    expect(d.prompts[0].detail).toContain('off dev-1 (confirmed as "srv-1")');
  });

  it('gates fleet.run, credentials.put, credentials.remove and device.forgetHostKey, naming each target', async () => {
    const d = scriptedAsk(() => false);
    const { ipc, methods, trail, core } = await desktop(d.ask);
    const calls = [
      ['fleet.run', { deviceIds: ['dev-1', 'dev-2'], command: 'rm -rf /\nuptime' }],
      ['credentials.put', { id: 'ssh-root', kind: 'snmp-community', name: 'Root', secret: 'hunter2' }],
      ['credentials.remove', { id: 'ssh-root' }],
      ['device.forgetHostKey', { deviceId: 'dev-2', confirmHostname: 'srv-2' }],
    ] as const;
    for (const [method, args] of calls) declined(await ipc.call(WINDOW, method, args));
    expect(methods()).toEqual([]);
    for (const [method] of calls) expect(await trail(method)).toEqual([]);
    expect(await core.api.call(ctx, 'credentials.list', undefined)).toEqual([]);
    expect(d.prompts.map((p) => [p.verb, p.message])).toEqual([
      ['Run', 'Run a command on 2 hosts?'],
      ['Save', 'Save credential ssh-root?'],
      ['Delete', 'Delete credential ssh-root?'],
      ['Forget key', 'Forget the SSH host key of srv-2?'],
    ]);
    // The command is shown on one line (a newline cannot fake the dialog's text), with its hosts; no secret is shown.
    expect(d.prompts[0].detail).toContain('Command: rm -rf /\\u000auptime');
    expect(d.prompts[0].detail).toContain('dev-1\ndev-2');
    expect(JSON.stringify(d.prompts)).not.toContain('hunter2');
  });

  it('gates credentials.bind (secrets sent to the devices\' current addresses), listing the devices', async () => {
    const d = scriptedAsk(() => false);
    const { ipc, methods } = await desktop(d.ask);
    declined(await ipc.call(WINDOW, 'credentials.bind', { deviceIds: ['dev-1', 'dev-2'] }));
    expect(methods()).toEqual([]);
    expect(d.prompts[0]).toMatchObject({ verb: 'Bind', message: 'Use the stored credentials of 2 devices at their current addresses?' });
    expect(d.prompts[0].detail).toContain('dev-1\ndev-2');
  });

  it('gates workflows.launch (its steps drive the devices), naming the template, the hosts and the parameters', async () => {
    const launch = { templateId: 'no-such-flow', params: { os: 'centos7\nrm' }, deviceIds: ['dev-1', 'dev-2'] };
    const no = scriptedAsk(() => false);
    const declinedDesk = await desktop(no.ask);
    declined(await declinedDesk.ipc.call(WINDOW, 'workflows.launch', launch));
    expect(declinedDesk.methods()).toEqual([]);
    expect(await declinedDesk.trail('workflows.launch')).toEqual([]);
    expect(no.prompts[0]).toMatchObject({ title: 'Launch a workflow', verb: 'Launch', message: 'Launch no-such-flow on 2 hosts?' });
    expect(no.prompts[0].detail).toContain('dev-1\ndev-2');
    expect(no.prompts[0].detail).toContain('os = "centos7\\nrm"');
    // Confirmed, it reaches the core, which has its own answer (no such template).
    const yes = scriptedAsk(() => true);
    const { ipc, methods } = await desktop(yes.ask);
    expect(await ipc.call(WINDOW, 'workflows.launch', launch)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(methods()).toEqual(['workflows.launch']);
  });

  it('lets confirmed credential writes and runs through', async () => {
    const d = scriptedAsk(() => true);
    const { ipc, methods, core } = await desktop(d.ask);
    expect(await ipc.call(WINDOW, 'credentials.put', { id: 'ro', kind: 'snmp-community', name: 'RO', secret: 'public' })).toMatchObject({ ok: true });
    // The run reaches the core, which has its own answer (dev-1 has no SSH credential).
    const run = await ipc.call(WINDOW, 'fleet.run', { deviceIds: ['dev-1'], command: 'uptime' });
    if (!run.ok) expect(run.error.name).not.toBe('ConfirmationDeclinedError');
    expect(methods()).toEqual(['credentials.put', 'fleet.run']);
    expect((await core.api.call(ctx, 'credentials.list', undefined)).map((c) => c.id)).toEqual(['ro']);
  });

  it('refuses malformed arguments without a dialog, with the core\'s own ValidationError', async () => {
    const d = scriptedAsk(() => true);
    const { ipc, methods } = await desktop(d.ask);
    const bad = [
      ['device.power', { deviceId: 'dev-1', action: 'explode', confirmHostname: 'srv-1' }],
      ['device.power', { ...POWER, skipConfirm: true }],
      ['fleet.run', { deviceIds: 'dev-1', command: 'uptime' }],
      ['credentials.put', null],
      ['inventory.import', { format: 'json', text: '{}', dryRun: 'no' }],
    ] as const;
    for (const [method, args] of bad) {
      const r = await ipc.call(WINDOW, method, args);
      expect(r).toMatchObject({ ok: false, error: { name: 'ValidationError', code: 'VALIDATION', params: { method } } });
    }
    expect(d.prompts).toEqual([]);
    expect(methods()).toEqual([]);
  });

  it('words a method without a prompt of its own generically, naming its target on one line', () => {
    const p = promptFor('some.newMethod' as Method, {}, 'device dev-9\u202e');
    expect(p).toMatchObject({ title: 'Confirm', verb: 'Allow', message: 'Allow some.newMethod on device dev-9\\u202e?' });
    expect(p.detail).toContain('some.newMethod: device dev-9\\u202e');
  });

  it('passes calls that need no confirmation straight through, without a dialog', async () => {
    const d = scriptedAsk(() => false);
    const { ipc, methods } = await desktop(d.ask);
    expect(await ipc.call(WINDOW, 'session.whoami', undefined)).toMatchObject({ ok: true });
    expect(await ipc.call(WINDOW, 'credentials.list', undefined)).toMatchObject({ ok: true });
    expect(d.prompts).toEqual([]);
    expect(methods()).toEqual(['session.whoami', 'credentials.list']);
  });
});

describe('the confirmation gate: imports that change addresses', () => {
  it('asks about an import that moves a device to another management address, listing it; declined, nothing is written', async () => {
    const d = scriptedAsk(() => false);
    const { ipc, methods, core } = await desktop(d.ask);
    const moved = inventory([dev(1, { mgmtIp: '127.66.6.6' }), dev(2)]);
    const r = await ipc.call(WINDOW, 'inventory.import', { format: 'json', text: moved });
    declined(r);
    // Only the dry run reached the core.
    expect(methods()).toEqual(['inventory.import']);
    expect(d.prompts).toHaveLength(1);
    expect(d.prompts[0].message).toContain('1 device address');
    expect(d.prompts[0].detail).toContain('srv-1 (dev-1) management: 127.0.0.1 snmp:161 ssh:22 → 127.66.6.6 snmp:161 ssh:22');
    expect(d.prompts[0].detail).not.toContain('srv-2');
    const stored = await core.api.call(ctx, 'inventory.export', { format: 'json' });
    expect(stored.text).toContain('127.0.0.1');
    expect(stored.text).not.toContain('127.66.6.6');
  });

  it('imports once confirmed', async () => {
    const d = scriptedAsk(() => true);
    const { ipc, methods, core } = await desktop(d.ask);
    const r = await ipc.call(WINDOW, 'inventory.import', { format: 'json', text: inventory([dev(1, { bmcAddress: '127.9.9.9' })]) });
    expect(r).toMatchObject({ ok: true, result: { dryRun: false, addressChangeCount: 1 } });
    expect(methods()).toEqual(['inventory.import', 'inventory.import']);
    expect(d.prompts[0].detail).toContain('srv-1 (dev-1) BMC: none → 127.9.9.9:623');
    expect((await core.api.call(ctx, 'inventory.export', { format: 'json' })).text).toContain('127.9.9.9');
  });

  it('lists the first moved devices and "and N more"', async () => {
    const many = Array.from({ length: ADDRESS_CHANGES_LISTED + 3 }, (_, i) => dev(i + 1));
    const d = scriptedAsk(() => false);
    const { ipc } = await desktop(d.ask, many);
    declined(await ipc.call(WINDOW, 'inventory.import', { format: 'json', text: inventory(many.map((x) => ({ ...x, sshPort: 2222 }))) }));
    const detail = d.prompts[0].detail;
    expect(detail).toContain(`… and 3 more`);
    expect(detail.split('\n').filter((l) => l.includes(' management: '))).toHaveLength(ADDRESS_CHANGES_LISTED);
  });

  it('does not ask about an import that changes no address (a rename, a new device), nor about a preview', async () => {
    const d = scriptedAsk(() => false);
    const { ipc, methods } = await desktop(d.ask);
    const text = inventory([dev(1, { hostname: 'srv-1-renamed' }), dev(2), dev(3)]);
    expect(await ipc.call(WINDOW, 'inventory.import', { format: 'json', text, dryRun: true })).toMatchObject({ ok: true, result: { dryRun: true } });
    expect(await ipc.call(WINDOW, 'inventory.import', { format: 'json', text })).toMatchObject({ ok: true, result: { dryRun: false, addressChangeCount: 0 } });
    expect(d.prompts).toEqual([]);
    // The preview as asked; then the gate's dry run and the import itself.
    expect(methods()).toEqual(['inventory.import', 'inventory.import', 'inventory.import']);
  });

  it('passes a dry run\'s refusal on without a dialog or the real import', async () => {
    const d = scriptedAsk(() => true);
    const { ipc, methods } = await desktop(d.ask);
    const r = await ipc.call(WINDOW, 'inventory.import', { format: 'json', text: '{"not":"an inventory"}' });
    expect(r.ok).toBe(false);
    expect(d.prompts).toEqual([]);
    expect(methods()).toEqual(['inventory.import']);
  });
});

describe('the confirmation gate: one dialog at a time per window', () => {
  it('shows two calls\' dialogs one after the other, each answered for its own call', async () => {
    const answers: ((v: boolean) => void)[] = [];
    const d = scriptedAsk(() => new Promise<boolean>((resolve) => answers.push(resolve)));
    const { ipc, methods } = await desktop(d.ask);
    const first = ipc.call(WINDOW, 'device.power', POWER);
    const second = ipc.call(WINDOW, 'device.forgetHostKey', { deviceId: 'dev-2', confirmHostname: 'srv-2' });
    await new Promise((r) => setTimeout(r, 20));
    // The second waits while the first is open.
    expect(d.log).toEqual(['open Power off srv-1?']);
    answers[0](false);
    await new Promise((r) => setTimeout(r, 20));
    expect(d.log).toEqual(['open Power off srv-1?', 'close Power off srv-1?', 'open Forget the SSH host key of srv-2?']);
    answers[1](true);
    declined(await first);
    expect(await second).toMatchObject({ ok: true, result: { forgotten: null } });
    expect(methods()).toEqual(['device.forgetHostKey']);
  });

  it('declines the dialogs of a window that closed, without showing those still waiting', async () => {
    const answers: ((v: boolean) => void)[] = [];
    const d = scriptedAsk(() => new Promise<boolean>((resolve) => answers.push(resolve)));
    const { ipc, methods } = await desktop(d.ask);
    const open = ipc.call(WINDOW, 'device.power', POWER);
    const waiting = ipc.call(WINDOW, 'credentials.remove', { id: 'x' });
    await new Promise((r) => setTimeout(r, 20));
    ipc.close(WINDOW);
    answers[0](true); // pressed after the window had gone
    declined(await open);
    declined(await waiting);
    expect(d.prompts).toHaveLength(1);
    expect(methods()).toEqual([]);
  });

  it('declines when the window has no dialog to show (it is gone)', async () => {
    const { ipc, methods } = await desktop(null);
    declined(await ipc.call(WINDOW, 'device.power', POWER));
    expect(methods()).toEqual([]);
  });

  it('refuses a flood of waiting confirmations past the cap, and another window is not held up', async () => {
    const answers: ((v: boolean) => void)[] = [];
    const d = scriptedAsk(() => new Promise<boolean>((resolve) => answers.push(resolve)));
    const { ipc } = await desktop(d.ask);
    const flood = Array.from({ length: MAX_WAITING_CONFIRMATIONS + 2 }, () => ipc.call(WINDOW, 'device.power', POWER));
    await new Promise((r) => setTimeout(r, 20));
    const other = ipc.call(OTHER, 'credentials.remove', { id: 'x' });
    await new Promise((r) => setTimeout(r, 20));
    expect(d.prompts.map((p) => p.message)).toEqual(['Power off srv-1?', 'Delete credential x?']);
    for (let i = 0; i < MAX_WAITING_CONFIRMATIONS + 2; i++) {
      answers.forEach((a) => a(false));
      await new Promise((r) => setTimeout(r, 5));
    }
    const replies = await Promise.all(flood);
    expect(replies.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED')).toHaveLength(2);
    expect(replies.filter((r) => !r.ok && r.error.name === 'ConfirmationDeclinedError')).toHaveLength(MAX_WAITING_CONFIRMATIONS);
    declined(await other);
  });
});

describe('without a gate (serve mode never uses ipc-calls)', () => {
  it('createIpcCalls without confirm sends a control call straight to the core', async () => {
    const { core } = await desktop(null);
    const reached: string[] = [];
    const ipc = createIpcCalls({ connect: () => ({ call: async (m) => (reached.push(m), { ok: true, result: null }), dispose: () => {} }) });
    expect(await ipc.call(WINDOW, 'device.power', POWER)).toEqual({ ok: true, result: null });
    expect(reached).toEqual(['device.power']);
    expect(core).toBeTruthy();
  });
});
