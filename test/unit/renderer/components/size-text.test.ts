// File sizes on the inventory page: bytes, then KB and MB (1024-based, one decimal).
import { describe, expect, it } from 'vitest';
import { sizeText, type SizeI18n } from '../../../../src-renderer/components/size-text';

const i18n: SizeI18n = { t: (key, vars) => `${key}:${String(vars?.n)}`, num: (n) => n.toLocaleString('en-US') };

describe('sizeText', () => {
  it('is bytes under 1 KiB', () => {
    expect(sizeText(i18n, 0)).toBe('inv.size.bytes:0');
    expect(sizeText(i18n, 1023)).toBe('inv.size.bytes:1,023');
  });
  it('is KB with one decimal under 1 MiB', () => {
    expect(sizeText(i18n, 1024)).toBe('inv.size.kb:1');
    expect(sizeText(i18n, 12_595)).toBe('inv.size.kb:12.3');
  });
  it('is MB with one decimal from 1 MiB', () => {
    expect(sizeText(i18n, 1024 * 1024)).toBe('inv.size.mb:1');
    expect(sizeText(i18n, 4.3 * 1024 * 1024)).toBe('inv.size.mb:4.3');
    expect(sizeText(i18n, 2048 * 1024 * 1024)).toBe('inv.size.mb:2,048');
  });
});
