// A byte count as people read it: "812 B", "12.3 KB", "4.1 MB" (1024-based, one decimal).
// Pure (no renderer imports): `t` is typed by the keys used here; the app's i18n fits it.
export interface SizeI18n {
  t: (key: 'inv.size.bytes' | 'inv.size.kb' | 'inv.size.mb', vars?: Record<string, string | number>) => string;
  num: (n: number) => string;
}

export function sizeText(i18n: SizeI18n, bytes: number): string {
  const { t, num } = i18n;
  if (bytes < 1024) return t('inv.size.bytes', { n: num(bytes) });
  if (bytes < 1024 * 1024) return t('inv.size.kb', { n: num(Math.round((bytes / 1024) * 10) / 10) });
  return t('inv.size.mb', { n: num(Math.round((bytes / 1024 / 1024) * 10) / 10) });
}
