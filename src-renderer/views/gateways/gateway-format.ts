// How the gateway view writes its figures in the user's locale: counts whole, rates with at most
// one decimal, a rate the core has no value for yet (first scrape, unreachable) as a dash.
import { useMemo } from 'react';
import { useI18n } from '../../i18n/use-i18n';

export interface GatewayFormat {
  /** A count: 12,345. */
  count: (n: number) => string;
  /** A rate or a lag: 1,234.5; null: "–". */
  rate: (n: number | null) => string;
}

export function useGatewayFormat(): GatewayFormat {
  const { lang } = useI18n();
  return useMemo(() => {
    const whole = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
    const one = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    return { count: (n) => whole.format(n), rate: (n) => (n === null ? '–' : one.format(n)) };
  }, [lang]);
}
