// A configured fleet's PXE server as the install tool's PxeServer: FleetDeck does not run the
// fleet's PXE, kickstart or MAAS server, so it calls a hook the operator points it at (config
// workflows.pxeHook, serve's --pxe-hook), which stages the install on whatever serves the
// fleet's network boot (a small adapter in front of Cobbler, MAAS, netboot.xyz, a TFTP tree).
// The hook gets one JSON POST per action, with a bearer token when one is configured:
//   {"action":"stage","deviceId","sn","hostname","os","callbackUrl"}   before the PXE boot
//   {"action":"unstage","deviceId","sn"}                               when the attempt ended
//                                                                      before the host booted
// Any 2xx is success; anything else is refused with the hook's status and the start of its
// answer (so the task's error says what the PXE side said), and a hook that does not answer
// in time is UNAVAILABLE. The installer then calls the step's one-time callbackUrl (or the
// step's SSH check sees the new OS), exactly as the lab's PXE stand-in does.
import { FleetDeckError } from '../../../src-shared/errors';
import type { InstallRequest, PxeServer } from './deps';

export interface PxeHookConfig {
  /** http(s) URL of the hook. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Per call (default 15 s). */
  readonly timeoutMs?: number;
}

export function httpPxe(hook: PxeHookConfig, device: (id: string) => { sn: string } | null): PxeServer {
  const url = new URL(hook.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FleetDeckError('VALIDATION', `The PXE hook must be an http(s) URL, not ${url.protocol}`, { field: 'pxeHook.url' });
  const post = async (body: Record<string, unknown>, what: string): Promise<void> => {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(hook.token ? { authorization: `Bearer ${hook.token}` } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(hook.timeoutMs ?? 15_000),
      });
    } catch (err) {
      const e = err as Error;
      const why = e.name === 'TimeoutError' ? `did not answer within ${hook.timeoutMs ?? 15_000} ms` : `could not be reached (${(e.cause as Error | undefined)?.message ?? e.message})`;
      throw new FleetDeckError('UNAVAILABLE', `The PXE hook ${url.origin}${url.pathname} ${why} to ${what}`, { reason: 'pxe-hook-unreachable' }, { cause: err });
    }
    const text = (await res.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 300);
    if (!res.ok) {
      throw new FleetDeckError(res.status >= 500 ? 'UNAVAILABLE' : 'CONFLICT', `The PXE hook refused to ${what}: HTTP ${res.status}${text ? `: ${text}` : ''}`, { reason: 'pxe-hook-refused', status: res.status });
    }
  };
  return {
    stage: (req: InstallRequest) =>
      post({ action: 'stage', deviceId: req.deviceId, sn: req.sn, hostname: req.hostname, os: req.os, callbackUrl: req.callbackUrl }, `stage ${req.os} for ${req.sn}`),
    unstage: (deviceId: string) => post({ action: 'unstage', deviceId, sn: device(deviceId)?.sn ?? null }, `take back the install staged for ${deviceId}`),
  };
}
