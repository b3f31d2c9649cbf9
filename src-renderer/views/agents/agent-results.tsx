// An agent's latest results by kind: metrics (CPU idle, load, memory, disks, network
// counters), its named processes (pid, CPU, RSS, and the service's own QPS and latency when
// it exposes them), inventory (OS release, kernel, package count, each declared file's
// checksum or why it was not read) and its own status; each with when it was sampled.
import type { ReactNode } from 'react';
import type { AgentResult } from '../../../src-shared/agent-protocol/messages';
import { ErrorBanner } from '../../components/error-banner';
import { isMessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { loadAgentResults } from '../../stores/agents/detail-actions';
import { selectAgentDetail } from '../../stores/agents/selectors';
import { useAppStore } from '../../stores/store';
import { Ago, useAgentFormat, useStamp } from './agent-bits';

type Data<K extends AgentResult['data']['kind']> = Extract<AgentResult['data'], { kind: K }>;

export function AgentResults({ agentId }: { agentId: string }) {
  const { t } = useI18n();
  const d = useAppStore(selectAgentDetail);
  const mine = d?.agentId === agentId ? d : null;
  const latest = mine?.latest ?? null;
  return (
    <section className="card" data-testid="agent-results">
      <h2>{t('agents.res.title')}</h2>
      {mine?.error && <ErrorBanner error={mine.error} action="agents.action.results" onRetry={() => void loadAgentResults(agentId)} testId="agent-results-error" />}
      {!latest && !mine?.error && <p className="loading">{t('agents.res.loading')}</p>}
      {latest && (
        <div className="agents-detail-grid">
          <Block title={t('agents.res.metrics')} r={latest.metrics} testId="agent-res-metrics">
            {latest.metrics?.data.kind === 'metrics' && <Metrics m={latest.metrics.data} />}
          </Block>
          <Block title={t('agents.res.status')} r={latest.status} testId="agent-res-status">
            {latest.status?.data.kind === 'status' && <Status s={latest.status.data} />}
          </Block>
          <Block title={t('agents.res.processes')} r={latest.processes[0] ?? null} testId="agent-res-processes">
            {latest.processes.length > 0 && <Processes list={latest.processes} />}
          </Block>
          <Block title={t('agents.res.inventory')} r={latest.inventory} testId="agent-res-inventory">
            {latest.inventory?.data.kind === 'inventory' && <Inventory inv={latest.inventory.data} />}
          </Block>
        </div>
      )}
    </section>
  );
}

function Block({ title, r, testId, children }: { title: string; r: AgentResult | null; testId: string; children: ReactNode }) {
  const { t } = useI18n();
  const stamp = useStamp();
  return (
    <div className="agents-block" data-testid={testId} data-seq={r?.seq ?? ''}>
      <h3>{title}</h3>
      {r ? (
        <>
          <p className="muted small">
            {t('agents.res.at', { time: stamp(r.at) })} · <Ago at={r.at} />
          </p>
          {children}
        </>
      ) : (
        <p className="muted">{t('agents.res.none')}</p>
      )}
    </div>
  );
}

function Metrics({ m }: { m: Data<'metrics'> }) {
  const { t } = useI18n();
  const { size, pct, dec } = useAgentFormat();
  return (
    <>
      <dl className="wf-meta">
        <dt>{t('agents.res.cpuIdle')}</dt>
        <dd data-testid="agent-cpu-idle">{pct(m.cpuIdlePct)}</dd>
        <dt>{t('agents.res.load')}</dt>
        <dd>{m.load.map((l) => dec(l)).join(' · ')}</dd>
        <dt>{t('agents.res.memory')}</dt>
        <dd>{t('agents.res.memoryValue', { free: size(m.memFreeBytes), total: size(m.memTotalBytes) })}</dd>
      </dl>
      {m.disks.length > 0 && (
        <table className="data-table" data-testid="agent-disks">
          <thead>
            <tr>
              <th>{t('agents.res.mount')}</th>
              <th className="num">{t('agents.res.used')}</th>
              <th className="num">{t('agents.res.size')}</th>
            </tr>
          </thead>
          <tbody>
            {m.disks.map((d) => (
              <tr key={d.mount}>
                <td className="wf-data">{d.mount}</td>
                <td className="num">
                  {size(d.usedBytes)} <span className="muted">({pct(d.totalBytes > 0 ? (d.usedBytes / d.totalBytes) * 100 : 0)})</span>
                </td>
                <td className="num">{size(d.totalBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {m.nets.length > 0 && <Nets nets={m.nets} />}
    </>
  );
}

function Nets({ nets }: { nets: Data<'metrics'>['nets'] }) {
  const { t, num } = useI18n();
  const { size } = useAgentFormat();
  return (
    <>
      <h3>{t('agents.res.nets')}</h3>
      <table className="data-table" data-testid="agent-nets">
        <thead>
          <tr>
            <th>{t('agents.res.iface')}</th>
            <th className="num">{t('agents.res.rx')}</th>
            <th className="num">{t('agents.res.tx')}</th>
            <th className="num">{t('agents.res.packets')}</th>
            <th className="num">{t('agents.res.errors')}</th>
          </tr>
        </thead>
        <tbody>
          {nets.map((n) => (
            <tr key={n.iface}>
              <td className="wf-data">{n.iface}</td>
              <td className="num">{size(n.rxBytes)}</td>
              <td className="num">{size(n.txBytes)}</td>
              <td className="num">
                {num(n.rxPackets)} / {num(n.txPackets)}
              </td>
              <td className={`num ${n.rxErrors + n.txErrors > 0 ? 'tone-text-warn' : ''}`}>
                {num(n.rxErrors)} / {num(n.txErrors)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Processes({ list }: { list: readonly AgentResult[] }) {
  const { t } = useI18n();
  const { size, pct, dec } = useAgentFormat();
  const dash = t('agents.none.value');
  return (
    <table className="data-table" data-testid="agent-processes">
      <thead>
        <tr>
          <th>{t('agents.res.pname')}</th>
          <th className="num">{t('agents.res.pid')}</th>
          <th className="num">{t('agents.col.cpu')}</th>
          <th className="num">{t('agents.col.rss')}</th>
          <th className="num">{t('agents.res.qps')}</th>
          <th className="num">{t('agents.res.latency')}</th>
        </tr>
      </thead>
      <tbody>
        {list.map((r) => {
          if (r.data.kind !== 'process') return null;
          const p = r.data;
          return (
            <tr key={p.name} data-testid="agent-process" data-name={p.name} data-running={String(p.pid !== null)}>
              <td className="wf-data">{p.name}</td>
              <td className="num">{p.pid === null ? <span className="tone-text-warn">{t('agents.res.notRunning')}</span> : p.pid}</td>
              <td className="num">{p.pid === null ? dash : pct(p.cpuPct)}</td>
              <td className="num">{p.pid === null ? dash : size(p.rssBytes)}</td>
              <td className="num">{p.qps === null ? dash : dec(p.qps)}</td>
              <td className="num">{p.latencyMs === null ? dash : t('fmt.ms', { n: dec(p.latencyMs) })}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Inventory({ inv }: { inv: Data<'inventory'> }) {
  const { t, num } = useI18n();
  const dash = t('agents.none.value');
  const fileError = (e: string): string => {
    const key = `agents.res.file.${e}`;
    return t('agents.res.fileError', { error: isMessageKey(key) ? t(key) : e });
  };
  return (
    <>
      <dl className="wf-meta">
        <dt>{t('agents.res.os')}</dt>
        <dd className="wf-data" data-testid="agent-os">
          {inv.osRelease || dash}
        </dd>
        <dt>{t('agents.res.kernel')}</dt>
        <dd className="wf-data">{inv.kernel || dash}</dd>
        <dt>{t('agents.res.packages')}</dt>
        <dd data-testid="agent-packages" data-value={inv.packages.length}>
          {num(inv.packages.length)}
        </dd>
      </dl>
      <h3>{t('agents.res.files')}</h3>
      {inv.files.length === 0 ? (
        <p className="muted">{t('agents.res.noFiles')}</p>
      ) : (
        <table className="data-table agents-files" data-testid="agent-files">
          <thead>
            <tr>
              <th>{t('agents.res.path')}</th>
              <th>{t('agents.res.checksum')}</th>
            </tr>
          </thead>
          <tbody>
            {inv.files.map((f) => (
              <tr key={f.path} data-testid="agent-file" data-path={f.path}>
                <td className="wf-data agents-path">{f.path}</td>
                <td>{f.sha256 ? <code className="agents-sum">{f.sha256}</code> : <span className="tone-text-warn">{fileError(f.error ?? '')}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Status({ s }: { s: Data<'status'> }) {
  const { t, num } = useI18n();
  const { size, pct } = useAgentFormat();
  return (
    <dl className="wf-meta">
      <dt>{t('agents.res.state')}</dt>
      <dd className={s.state === 'ok' ? 'tone-text-good' : 'tone-text-bad'} data-testid="agent-status-state" data-state={s.state}>
        {t(`agents.res.state.${s.state}`)}
      </dd>
      <dt>{t('agents.f.cpu')}</dt>
      <dd>{pct(s.cpuPct)}</dd>
      <dt>{t('agents.f.rss')}</dt>
      <dd>{size(s.rssBytes)}</dd>
      <dt>{t('agents.f.buffer')}</dt>
      <dd>{t(s.bufferDepth === 1 ? 'agents.f.bufferValue.one' : 'agents.f.bufferValue', { n: num(s.bufferDepth), size: size(s.bufferBytes) })}</dd>
      <dt>{t('agents.f.dropped')}</dt>
      <dd className={s.dropped > 0 ? 'tone-text-bad' : ''}>{num(s.dropped)}</dd>
    </dl>
  );
}
