// '/' focuses the search box only when no text field has the keyboard.
import { describe, expect, it } from 'vitest';
import { isSlashShortcut } from '../../../../../src-renderer/views/search/shortcut';

const key = (target: unknown, over: Partial<{ key: string; ctrlKey: boolean }> = {}) => ({
  key: '/',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: target as EventTarget | null,
  ...over,
});

describe("the '/' shortcut", () => {
  it('fires on the page body and on buttons', () => {
    expect(isSlashShortcut(key({ tagName: 'BODY' }))).toBe(true);
    expect(isSlashShortcut(key({ tagName: 'BUTTON' }))).toBe(true);
    expect(isSlashShortcut(key({ tagName: 'INPUT', type: 'checkbox' }))).toBe(true);
    expect(isSlashShortcut(key(null))).toBe(true);
  });

  it('leaves text fields alone', () => {
    expect(isSlashShortcut(key({ tagName: 'INPUT', type: 'text' }))).toBe(false);
    expect(isSlashShortcut(key({ tagName: 'INPUT', type: 'search' }))).toBe(false);
    expect(isSlashShortcut(key({ tagName: 'TEXTAREA' }))).toBe(false);
    expect(isSlashShortcut(key({ tagName: 'DIV', isContentEditable: true }))).toBe(false);
  });

  it('ignores other keys and modified slashes', () => {
    expect(isSlashShortcut(key({ tagName: 'BODY' }, { key: 'a' }))).toBe(false);
    expect(isSlashShortcut(key({ tagName: 'BODY' }, { ctrlKey: true }))).toBe(false);
  });
});
