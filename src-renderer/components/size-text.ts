// A byte count as people read it: "812 B", "12.3 KB", "4.1 MB" (1024-based, one decimal).
import type { I18n } from '../i18n/use-i18n';

export function sizeText(i18n: Pick<I18n, 't' | 'num'>, bytes: number): string {
  const { t, num } = i18n;
  if (bytes < 1024) return t('inv.size.bytes', { n: num(bytes) });
  if (bytes < 1024 * 1024) return t('inv.size.kb', { n: num(Math.round((bytes / 1024) * 10) / 10) });
  return t('inv.size.mb', { n: num(Math.round((bytes / 1024 / 1024) * 10) / 10) });
}
