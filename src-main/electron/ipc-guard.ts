// Who may call the core over IPC: the main frame of the one FleetDeck window, showing a
// page from app://fleetdeck. Pure, so the rules are unit-tested without Electron.
import { isAppUrl } from './app-protocol';

/** The fields of an Electron WebFrameMain the check reads. */
export interface FrameLike {
  readonly url: string;
  readonly processId: number;
  readonly frameToken: string;
  readonly parent: unknown;
}

export interface IpcSender {
  /** event.sender.id */
  webContentsId: number;
  /** event.senderFrame: null once the frame has navigated away or been destroyed. */
  frame: FrameLike | null;
}

export interface TrustedWindow {
  webContentsId: number;
  mainFrame: FrameLike;
}

/**
 * True only when the message comes from the trusted window's web contents, from its
 * current main frame (same process and frame token, no parent: not an iframe, not a
 * stale document), and that frame shows an app://fleetdeck page.
 */
export function isTrustedIpcSender(sender: IpcSender, window: TrustedWindow | null): boolean {
  if (!window) return false;
  if (sender.webContentsId !== window.webContentsId) return false;
  const f = sender.frame;
  if (!f) return false;
  if (f.parent !== null) return false;
  if (f.processId !== window.mainFrame.processId || f.frameToken !== window.mainFrame.frameToken) return false;
  return isAppUrl(f.url);
}
