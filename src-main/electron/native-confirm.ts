// The native dialog behind the confirmation gate (confirm-gate.ts): a warning box modal to
// the window, Cancel first and the default (Enter or Escape never confirms), answered true
// only by the verb's button. A window that closes while its box is up declines. Electron
// only: not unit tested (the gate is, with a scripted ask).
import { BrowserWindow, dialog, webContents } from 'electron';
import type { Ask } from './confirm-gate';

export function nativeConfirm(win: BrowserWindow): Ask {
  return (p) => {
    if (win.isDestroyed()) return Promise.resolve(false);
    const closed = new Promise<boolean>((resolve) => win.once('closed', () => resolve(false)));
    const box = dialog
      .showMessageBox(win, { type: 'warning', buttons: ['Cancel', p.verb], defaultId: 0, cancelId: 0, noLink: true, title: p.title, message: p.message, detail: p.detail })
      .then((r) => r.response === 1);
    return Promise.race([box, closed]);
  };
}

/** The gate's askFor: the dialog of the window that shows renderer `senderId`, or null when it is gone. */
export function nativeConfirmFor(senderId: number): Ask | null {
  const contents = webContents.fromId(senderId);
  const win = contents && !contents.isDestroyed() ? BrowserWindow.fromWebContents(contents) : null;
  return win && !win.isDestroyed() ? nativeConfirm(win) : null;
}
