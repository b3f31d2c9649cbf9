import { describe, expect, it } from 'vitest';
import { isTrustedIpcSender, type FrameLike, type TrustedWindow } from '../../../src-main/electron/ipc-guard';

const mainFrame: FrameLike = { url: 'app://fleetdeck/index.html', processId: 4, frameToken: 'tok-main', parent: null };
const win: TrustedWindow = { webContentsId: 1, mainFrame };

describe('IPC sender validation', () => {
  it('accepts the main window main frame on app://fleetdeck', () => {
    expect(isTrustedIpcSender({ webContentsId: 1, frame: { ...mainFrame } }, win)).toBe(true);
    expect(isTrustedIpcSender({ webContentsId: 1, frame: { ...mainFrame, url: 'app://fleetdeck/rooms#r1' } }, win)).toBe(true);
  });

  it('refuses when there is no window or no frame', () => {
    expect(isTrustedIpcSender({ webContentsId: 1, frame: mainFrame }, null)).toBe(false);
    expect(isTrustedIpcSender({ webContentsId: 1, frame: null }, win)).toBe(false);
  });

  it('refuses other web contents', () => {
    expect(isTrustedIpcSender({ webContentsId: 2, frame: mainFrame }, win)).toBe(false);
  });

  it('refuses subframes and stale or foreign documents', () => {
    expect(isTrustedIpcSender({ webContentsId: 1, frame: { ...mainFrame, parent: mainFrame } }, win)).toBe(false);
    expect(isTrustedIpcSender({ webContentsId: 1, frame: { ...mainFrame, frameToken: 'tok-old' } }, win)).toBe(false);
    expect(isTrustedIpcSender({ webContentsId: 1, frame: { ...mainFrame, processId: 9 } }, win)).toBe(false);
  });

  it('refuses any origin but app://fleetdeck', () => {
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'app://other/index.html', 'about:blank', 'data:text/html,x', '']) {
      const frame = { ...mainFrame, url };
      expect(isTrustedIpcSender({ webContentsId: 1, frame }, { webContentsId: 1, mainFrame: frame }), url).toBe(false);
    }
  });
});
