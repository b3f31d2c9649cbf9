// The desktop's confirmation gate for dangerous calls, in the main process and outside the
// page: a method whose contract spec says confirm: 'always' (power, fleet.run, credential
// writes, host-key forgets, workflow launches) is asked about in a native dialog that names
// its target (the spec's audit text, from the parsed arguments) before it reaches the core; confirm:
// 'address-change' (inventory.import) first runs the same call as a dry run and asks only when
// it would move stored devices to another management or BMC address, listing them. Declined,
// the call is refused with ConfirmationDeclinedError (FORBIDDEN) and never reaches the core;
// arguments that do not parse are refused without a dialog. One dialog at a time per window
// (the rest wait their turn); a window that is gone declines. No electron import: main.ts
// hands it the dialog (native-confirm.ts), the unit tests a scripted ask.
import { API_METHODS, type CallReply, type Method } from '../../src-shared/api';
import type { MethodSpec } from '../../src-shared/api/contract';
import type { AddressChange, ImportResult } from '../../src-shared/domain';
import { FleetDeckError, serializeError } from '../../src-shared/errors';
import { parseArgs } from '../core/api/parse-args';

/** What a native dialog shows: the default and cancel button is always "Cancel". */
export interface ConfirmPrompt {
  readonly title: string;
  /** The question, naming the target ("Power off srv-12?"). */
  readonly message: string;
  readonly detail: string;
  /** The button that confirms ("Power off"). */
  readonly verb: string;
}

/** Shows one prompt; true only when the user pressed the verb's button. */
export type Ask = (prompt: ConfirmPrompt) => Promise<boolean>;

/** The user (or a window that closed) declined a confirmation: the call never reached the core. */
export class ConfirmationDeclinedError extends FleetDeckError {
  constructor(method: string, target: string) {
    super('FORBIDDEN', `"${method}" was not confirmed${target ? ` (${target})` : ''}: nothing was done`, { method, target });
    this.name = 'ConfirmationDeclinedError';
  }
}

/** How many calls of one window may wait for their dialog; past it they are refused (RATE_LIMITED). */
export const MAX_WAITING_CONFIRMATIONS = 8;
/** How many address changes a dialog lists before "and N more". */
export const ADDRESS_CHANGES_LISTED = 10;

export interface ConfirmGateDeps {
  /** The dialog of the window that renderer `senderId` shows in; null when it is gone (declined). */
  askFor: (senderId: number) => Ask | null;
  log?: (line: string) => void;
}

/** Runs a call on the renderer's connection to the core. */
export type RunCall = (method: Method, args: unknown) => Promise<CallReply>;

export interface ConfirmGate {
  /** Runs the call through `run` when it needs no confirmation or was confirmed; otherwise the refusal. Never throws. */
  call(senderId: number, method: Method, args: unknown, run: RunCall): Promise<CallReply>;
  /** The window is gone: its waiting dialogs are declined without being shown. */
  close(senderId: number): void;
}

const refusal = (err: unknown): CallReply => ({ ok: false, error: serializeError(err) });

const POWER_VERBS: Readonly<Record<string, string>> = {
  on: 'Power on',
  off: 'Power off',
  cycle: 'Power cycle',
  reset: 'Reset',
  soft: 'Shut down',
};

const ENDPOINT_WORDS: Readonly<Record<AddressChange['endpoint'], string>> = { mgmt: 'management', bmc: 'BMC' };

/** "first, second … and N more" as lines. */
function listed(lines: readonly string[], total: number, max: number): string {
  const shown = lines.slice(0, max);
  const more = total - shown.length;
  return [...shown, ...(more > 0 ? [`… and ${more} more`] : [])].join('\n');
}

/** Characters that would break a dialog's lines or reorder its text: C0/C1 controls, zero-width and bidirectional marks, separators. */
const hidden = (code: number): boolean =>
  code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0x200b && code <= 0x200f) || (code >= 0x2028 && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0xfeff;

/** A value from the page as a dialog shows it: on one line, those characters escaped as \u000a, bounded. */
export function shown(v: unknown, max = 200): string {
  const s = String(v);
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  let out = '';
  for (const ch of cut) {
    const code = ch.codePointAt(0) ?? 0;
    out += hidden(code) ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
  }
  return out;
}

const FROM_PAGE = 'The FleetDeck window asked for this. Confirm only if you started it yourself.';

/** The dialog for a confirm: 'always' call, from its parsed arguments and audit text. */
export function promptFor(method: Method, parsed: unknown, target: string): ConfirmPrompt {
  const detail = (...lines: string[]) => [...lines, '', `${method}: ${shown(target, 300)}`, FROM_PAGE].join('\n');
  const a = parsed as Record<string, unknown>;
  // By name, so a method added to the contract later still compiles here and gets the generic prompt.
  switch (method as string) {
    case 'device.power': {
      const verb = POWER_VERBS[shown(a.action)] ?? `Power ${shown(a.action, 20)}`;
      return {
        title: 'Power control',
        verb,
        message: `${verb} ${shown(a.confirmHostname)}?`,
        detail: detail(`Device ${shown(a.deviceId)}, through its BMC. The core refuses it unless the device's hostname is "${shown(a.confirmHostname)}".`),
      };
    }
    case 'device.forgetHostKey':
      return {
        title: 'Forget SSH host key',
        verb: 'Forget key',
        message: `Forget the SSH host key of ${shown(a.confirmHostname)}?`,
        detail: detail(`Device ${shown(a.deviceId)}. The next SSH connection trusts whatever key the address presents and pins it.`),
      };
    case 'fleet.run': {
      const ids = (a.deviceIds as readonly string[]) ?? [];
      return {
        title: 'Run a command on the fleet',
        verb: 'Run',
        message: `Run a command on ${ids.length} ${ids.length === 1 ? 'host' : 'hosts'}?`,
        detail: detail(`Command: ${shown(a.command, 500)}`, '', 'Hosts:', listed(ids.map((id) => shown(id)), ids.length, ADDRESS_CHANGES_LISTED)),
      };
    }
    case 'workflows.launch': {
      const ids = Array.isArray(a.deviceIds) ? (a.deviceIds as readonly string[]) : [];
      const params = Object.entries((a.params as Record<string, unknown>) ?? {}).map(([k, v]) => `${shown(k, 60)} = ${shown(JSON.stringify(v), 200)}`);
      return {
        title: 'Launch a workflow',
        verb: 'Launch',
        message: `Launch ${shown(a.templateId)} on ${ids.length} ${ids.length === 1 ? 'host' : 'hosts'}?`,
        detail: detail('Its steps act on these devices:', listed(ids.map((id) => shown(id)), ids.length, ADDRESS_CHANGES_LISTED), '', 'Parameters:', listed(params, params.length, ADDRESS_CHANGES_LISTED) || 'none'),
      };
    }
    case 'credentials.put':
      return {
        title: 'Save credential',
        verb: 'Save',
        message: `Save credential ${shown(a.id)}?`,
        detail: detail(`"${shown(a.name)}" (${shown(a.kind)}). A stored credential of that id is overwritten, and every device that uses it gets the new secret.`),
      };
    case 'credentials.remove':
      return {
        title: 'Delete credential',
        verb: 'Delete',
        message: `Delete credential ${shown(a.id)}?`,
        detail: detail('Its secret is gone for good.'),
      };
    case 'credentials.bind': {
      const ids = Array.isArray(a.deviceIds) ? (a.deviceIds as readonly string[]) : [];
      return {
        title: 'Bind credentials',
        verb: 'Bind',
        message: `Use the stored credentials of ${ids.length} ${ids.length === 1 ? 'device' : 'devices'} at their current addresses?`,
        detail: detail('Their secrets will be sent to whatever answers at those addresses:', listed(ids.map((id) => shown(id)), ids.length, ADDRESS_CHANGES_LISTED)),
      };
    }
    default:
      return { title: 'Confirm', verb: 'Allow', message: `Allow ${method}${target ? ` on ${shown(target)}` : ''}?`, detail: detail() };
  }
}

/** The dialog for an import that moves stored devices to other addresses. */
export function addressChangePrompt(method: Method, preview: ImportResult, target: string): ConfirmPrompt {
  const n = preview.addressChangeCount;
  const lines = preview.addressChanges.map(
    (c) => `${shown(c.hostname)} (${shown(c.deviceId)}) ${ENDPOINT_WORDS[c.endpoint] ?? shown(c.endpoint)}: ${shown(c.from) || 'none'} → ${shown(c.to) || 'none'}`,
  );
  return {
    title: 'Import moves devices',
    verb: 'Import',
    message: `This import moves ${n === 1 ? '1 device address' : `${n} device addresses`} to a new endpoint. Import it?`,
    detail: [
      listed(lines, n, ADDRESS_CHANGES_LISTED),
      '',
      'Stored credentials are meant for the old addresses: confirm only if the new ones are yours.',
      '',
      `${method}: ${shown(target, 300)}`,
      FROM_PAGE,
    ].join('\n'),
  };
}

interface WindowQueue {
  closed: boolean;
  waiting: number;
  tail: Promise<unknown>;
}

export function createConfirmGate(d: ConfirmGateDeps): ConfirmGate {
  const log = d.log ?? (() => {});
  const queues = new Map<number, WindowQueue>();

  /** Shows the prompt after the window's earlier ones; false when declined, the window is gone, or the dialog failed. */
  function ask(senderId: number, prompt: ConfirmPrompt): Promise<boolean> {
    let q = queues.get(senderId);
    if (!q) {
      q = { closed: false, waiting: 0, tail: Promise.resolve() };
      queues.set(senderId, q);
    }
    const queue = q;
    if (queue.waiting >= MAX_WAITING_CONFIRMATIONS) {
      throw new FleetDeckError('RATE_LIMITED', `${queue.waiting} confirmations are already waiting in this window`, { retryAfterMs: 1000 });
    }
    queue.waiting++;
    const turn = queue.tail.then(async () => {
      if (queue.closed) return false;
      const show = d.askFor(senderId);
      if (!show) return false;
      try {
        // A window that closed while its dialog was up declines, whatever was pressed.
        return (await show(prompt)) === true && !queue.closed;
      } catch (err) {
        log(`confirm: the dialog for renderer ${senderId} failed: ${err instanceof Error ? err.message : String(err)}`);
        return false;
      }
    });
    queue.tail = turn.finally(() => {
      queue.waiting--;
      if (queue.waiting === 0 && queues.get(senderId) === queue) queues.delete(senderId);
    });
    return turn;
  }

  async function decide(senderId: number, method: Method, args: unknown, run: RunCall): Promise<CallReply> {
    const spec = API_METHODS[method] as MethodSpec;
    if (!spec.confirm) return await run(method, args);
    // Malformed: refused here, without a dialog (the core would refuse it the same way).
    const parsed = parseArgs(method, spec, args);
    const target = spec.audit ? spec.audit(parsed as never) : '';
    let prompt: ConfirmPrompt;
    if (spec.confirm === 'always') {
      prompt = promptFor(method, parsed, target);
    } else {
      // 'address-change': a preview writes nothing; otherwise the same call as a preview first.
      if ((parsed as { dryRun?: boolean }).dryRun === true) return await run(method, args);
      const preview = await run(method, { ...(args as object), dryRun: true });
      if (!preview.ok) return preview;
      const result = preview.result as ImportResult;
      if (!(result.addressChangeCount > 0)) return await run(method, args);
      prompt = addressChangePrompt(method, result, target);
    }
    if (!(await ask(senderId, prompt))) throw new ConfirmationDeclinedError(method, target);
    return await run(method, args);
  }

  return {
    async call(senderId, method, args, run) {
      try {
        return await decide(senderId, method, args, run);
      } catch (err) {
        return refusal(err);
      }
    },
    close(senderId) {
      const q = queues.get(senderId);
      if (!q) return;
      q.closed = true;
      queues.delete(senderId);
    },
  };
}
