// Small pieces the agents views share: an agent's health as a badge (a word on a tinted
// ground, never colour alone; over-cap names its cap) with the reason beside it, the ages
// ("12 s ago") read off one shared clock so only the cells showing an age re-render as time
// passes, and byte counts and percentages in the user's language.
import { useSyncExternalStore } from 'react';
import type { AgentHealth, AgentSummary } from '../../../src-shared/domain/agent';
import { agoText } from '../../components/format';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { overCap } from '../../stores/agents/agent-model';

export const HEALTH_TONE: Readonly<Record<AgentHealth, 'good' | 'warn' | 'bad' | 'empty'>> = {
  healthy: 'good',
  'over-cap': 'bad',
  stale: 'warn',
  'never-reported': 'empty',
  revoked: 'empty',
};

// ---- one clock for every age on screen ----

const CLOCK_MS = 5_000;
let clockNow = Date.now();
const clockListeners = new Set<() => void>();
let clockTimer: ReturnType<typeof setInterval> | null = null;

function subscribeClock(l: () => void): () => void {
  clockListeners.add(l);
  if (!clockTimer) {
    clockNow = Date.now();
    clockTimer = setInterval(() => {
      clockNow = Date.now();
      for (const f of clockListeners) f();
    }, CLOCK_MS);
  }
  return () => {
    clockListeners.delete(l);
    if (clockListeners.size === 0 && clockTimer) {
      clearInterval(clockTimer);
      clockTimer = null;
    }
  };
}

/** Now, moving on every few seconds; a component using it re-renders alone. */
export function useClock(): number {
  // A time newer than the clock (an event just arrived) reads as "0 s ago" (agoText never goes below 0).
  return useSyncExternalStore(subscribeClock, () => clockNow);
}

/** "12 s ago", "3 min ago", with the date and time on hover. */
export function Ago({ at, testId }: { at: number | null; testId?: string }) {
  const { t } = useI18n();
  const now = useClock();
  const stamp = useStamp();
  if (at === null) return <span data-testid={testId}>{t('agents.never')}</span>;
  return (
    <span title={stamp(at)} data-testid={testId} data-at={at}>
      {agoText(t, at, now)}
    </span>
  );
}

export function useStamp(): (ms: number) => string {
  const { lang } = useI18n();
  const dt = new Intl.DateTimeFormat(lang, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return (ms) => dt.format(new Date(ms));
}

/** Byte counts (1024-based, up to GB) and figures with at most one decimal. */
export function useAgentFormat() {
  const { t, lang } = useI18n();
  const one = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  const size = (bytes: number): string => {
    const units = ['B', 'KB', 'MB', 'GB'] as const;
    let v = bytes;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i += 1;
    }
    return t(`agents.size.${units[i]}` as MessageKey, { n: i === 0 ? String(v) : one.format(v) });
  };
  return { size, dec: (n: number) => one.format(n), pct: (n: number) => t('agents.pct', { n: one.format(n) }) };
}

/** The health word: over-cap says which cap. */
export function healthWord(t: (k: MessageKey) => string, a: Pick<AgentSummary, 'health' | 'status'>): string {
  if (a.health === 'over-cap') {
    const cap = overCap(a);
    if (cap) return t(cap === 'cpu' ? 'agents.health.overCpu' : 'agents.health.overMemory');
  }
  return t(`agents.health.${a.health}` as MessageKey);
}

export function HealthBadge({ agent, testId = 'agent-health' }: { agent: Pick<AgentSummary, 'health' | 'status'>; testId?: string }) {
  const { t } = useI18n();
  return (
    <span className={`wf-badge wf-tone-${HEALTH_TONE[agent.health]}`} data-testid={testId} data-health={agent.health} data-cap={overCap(agent) ?? undefined}>
      {healthWord(t, agent)}
    </span>
  );
}

/** Why the agent has its health, in a sentence. */
export function HealthWhy({ agent }: { agent: AgentSummary }) {
  const { t } = useI18n();
  const { size, dec } = useAgentFormat();
  const now = useClock();
  const ago = (at: number) => agoText(t, at, now);
  const a = agent;
  let text: string;
  if (a.health === 'revoked') text = t('agents.why.revoked', { ago: a.revokedAt === null ? t('agents.never') : ago(a.revokedAt), by: a.revokedBy ?? '—' });
  else if (a.health === 'never-reported') text = t('agents.why.never', { ago: ago(a.enrolledAt), by: a.enrolledBy });
  else if (a.health === 'over-cap' && overCap(a) === 'memory') text = t('agents.why.overMemory', { size: size(a.status?.rssBytes ?? 0) });
  else if (a.health === 'over-cap') text = t('agents.why.overCpu', { pct: dec(a.status?.cpuPct ?? 0) });
  else if (a.health === 'healthy') text = t('agents.why.healthy', { ago: a.status ? ago(a.status.at) : '—' });
  else if (!a.connected) text = t('agents.why.staleGone', { ago: a.lastSeenAt === null ? t('agents.never') : ago(a.lastSeenAt) });
  else text = a.status ? t('agents.why.staleConnected', { ago: ago(a.status.at) }) : t('agents.why.staleNoStatus');
  return (
    <span className="muted small agent-why" data-testid="agent-why">
      {text}
    </span>
  );
}

/** The agent's host: its hostname (else its device id), a link to the device page when it has one. */
export function AgentHost({ agent }: { agent: Pick<AgentSummary, 'hostname' | 'deviceId'> }) {
  const { t } = useI18n();
  const name = agent.hostname ?? agent.deviceId;
  if (!agent.deviceId) {
    return name ? <span className="wf-data">{name}</span> : <span className="muted">{t('agents.host.noDevice')}</span>;
  }
  return (
    <a href={`#/device/${encodeURIComponent(agent.deviceId)}`} title={t('agents.host.deviceTitle', { id: agent.deviceId })} data-testid="agent-host-link" data-device-id={agent.deviceId}>
      {name}
    </a>
  );
}
