// Run one command line on many hosts over SSH: choose a room or one of its cabinets; its
// hosts the console can reach over SSH are offered (all ticked), the others counted; pick,
// run, follow the results.
import { useMemo, useState } from 'react';
import type { FleetOverview } from '../../../src-shared/domain';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { chooseScope, startRun } from '../../stores/run/actions';
import type { RunTargets } from '../../stores/run/slice';
import { chosenIds } from '../../stores/run/run-targets';
import { mayCall } from '../../stores/session/roles';
import { selectOverview } from '../../stores/fleet/selectors';
import { selectRunJob, selectRunTargets } from '../../stores/run/selectors';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { RunPanel } from './run-results';

const DEFAULT_TIMEOUT_S = 30;
const MAX_TIMEOUT_S = 3600;

export function RunView() {
  const { t } = useI18n();
  const role = useAppStore(selectRole);
  const targets = useAppStore(selectRunTargets);
  const may = mayCall(role, 'fleet.run');
  return (
    <main className="run-view" data-testid="run-view">
      <div className="view-head">
        <h1>{t('run.title')}</h1>
        <span className="muted">{t('run.hint')}</span>
      </div>
      {role && !may && (
        <p className="inv-role-note" data-testid="run-role-note">
          {t('run.roleNote', { role: t(`role.${role}` as MessageKey) })}
        </p>
      )}
      <div className="run-layout">
        <ScopePicker targets={targets} disabled={!may} />
        <RunForm targets={targets} may={may} />
      </div>
      <RunPanel />
    </main>
  );
}

function roomsOf(overview: FleetOverview | null): { id: string; label: string }[] {
  return (overview?.sites ?? []).flatMap((s) => s.rooms.map((r) => ({ id: r.id, label: `${s.name} · ${r.name}` })));
}

function ScopePicker({ targets, disabled }: { targets: RunTargets; disabled: boolean }) {
  const { t, num } = useI18n();
  const overview = useAppStore(selectOverview);
  const rooms = useMemo(() => roomsOf(overview), [overview]);
  const cabinets = (targets.cabinets ?? []).filter((c) => c.devices > 0);
  return (
    <section className="card run-scope" data-testid="run-scope">
      <h2>{t('run.targets')}</h2>
      <div className="inv-form">
        <label className="inv-field">
          <span>{t('col.room')}</span>
          <select data-testid="run-room" value={targets.roomId ?? ''} disabled={disabled} onChange={(e) => void chooseScope(e.currentTarget.value || null, null)}>
            <option value="">{t('run.pickRoom')}</option>
            {rooms.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <label className="inv-field">
          <span>{t('run.cabinet')}</span>
          <select
            data-testid="run-cabinet"
            value={targets.cabinetId ?? ''}
            disabled={disabled || !targets.roomId || !targets.cabinets}
            onChange={(e) => void chooseScope(targets.roomId, e.currentTarget.value || null)}
          >
            <option value="">{t('run.wholeRoom')}</option>
            {cabinets.map((c) => (
              <option key={c.id} value={c.id} data-devices={c.devices}>
                {t('run.cabinetOption', { name: c.name, n: num(c.devices) })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {targets.error && <ErrorBanner error={targets.error} action="action.runTargets" onRetry={() => void chooseScope(targets.roomId, targets.cabinetId)} testId="run-targets-error" />}
      {targets.loading && (
        <p className="muted" role="status" data-testid="run-loading">
          <span className="spinner" aria-hidden /> {t('run.loading', { done: num(targets.loading.done), total: num(targets.loading.total) })}
        </p>
      )}
    </section>
  );
}

function RunForm({ targets, may }: { targets: RunTargets; may: boolean }) {
  const { t, num } = useI18n();
  const job = useAppStore(selectRunJob);
  // Picks made for one scope do not carry over to the next: its SSH hosts start chosen.
  const scope = `${targets.roomId ?? ''}/${targets.cabinetId ?? ''}`;
  const [picks, setPicks] = useState<{ scope: string; map: Record<string, boolean> }>({ scope, map: {} });
  const picked = picks.scope === scope ? picks.map : {};
  const setPicked = (f: (p: Record<string, boolean>) => Record<string, boolean>) => setPicks({ scope, map: f(picked) });
  const [command, setCommand] = useState('');
  const [timeoutS, setTimeoutS] = useState(DEFAULT_TIMEOUT_S);
  const candidates = targets.candidates ?? [];
  const noSsh = targets.noSsh ?? 0;
  const chosen = chosenIds(candidates, picked);
  const chosenSet = new Set(chosen);
  const busy = job?.phase === 'starting' || job?.phase === 'running';
  const timeoutOk = Number.isInteger(timeoutS) && timeoutS >= 1 && timeoutS <= MAX_TIMEOUT_S;
  const canRun = may && !busy && chosen.length > 0 && command.trim() !== '' && timeoutOk && !targets.loading;
  const setAll = (on: boolean) => setPicked(() => Object.fromEntries(candidates.map((c) => [c.deviceId, on])));
  return (
    <section className="card run-form" data-testid="run-form">
      <h2>{t('run.hosts')}</h2>
      {!targets.roomId && <p className="muted">{t('run.pickFirst')}</p>}
      {targets.candidates && (
        <>
          <p
            className="muted"
            data-testid="run-candidates-summary"
            data-scope={scope}
            data-ssh={candidates.length}
            data-no-ssh={noSsh}
            data-chosen={chosen.length}
          >
            {candidates.length === 0 ? t('run.noSshHost') : t('run.summary', { ssh: num(candidates.length), chosen: num(chosen.length) })}
            {noSsh > 0 && (
              <>
                {' '}
                <span data-testid="run-no-ssh" data-value={noSsh}>
                  {t('run.noSshCount', { n: num(noSsh) })}
                </span>
              </>
            )}
          </p>
          <div className="inv-buttons">
            <button type="button" data-testid="run-pick-ssh" disabled={!may || candidates.length === 0} onClick={() => setAll(true)}>
              {t('run.pickSsh')}
            </button>
            <button type="button" data-testid="run-pick-none" disabled={!may || candidates.length === 0} onClick={() => setAll(false)}>
              {t('run.pickNone')}
            </button>
          </div>
          <ul className="candidate-list scroll-box" data-testid="run-candidates">
            {candidates.map((c) => (
              <li key={c.deviceId} data-testid="run-candidate" data-device-id={c.deviceId} data-ssh="true">
                <label>
                  <input
                    type="checkbox"
                    checked={chosenSet.has(c.deviceId)}
                    disabled={!may}
                    onChange={(e) => {
                      const on = e.currentTarget.checked;
                      setPicked((p) => ({ ...p, [c.deviceId]: on }));
                    }}
                  />
                  <span className="cand-host">{c.hostname}</span>
                  <span className="muted small">
                    {c.cabinetName} · {t(`kind.${c.kind}` as MessageKey)}
                  </span>
                  <span className="ssh-badge ssh-true">{t('run.ssh')}</span>
                </label>
              </li>
            ))}
          </ul>
        </>
      )}
      <form
        className="run-command-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (canRun) void startRun(chosen, command.trim(), timeoutS * 1000);
        }}
      >
        <label className="inv-field run-command-field">
          <span>{t('run.command')}</span>
          <input data-testid="run-command" value={command} disabled={!may} spellCheck={false} autoComplete="off" placeholder="uname -a" onChange={(e) => setCommand(e.currentTarget.value)} />
        </label>
        <label className="inv-field">
          <span>{t('run.timeout')}</span>
          <input
            type="number"
            data-testid="run-timeout"
            min={1}
            max={MAX_TIMEOUT_S}
            value={timeoutS}
            disabled={!may}
            onChange={(e) => setTimeoutS(Number(e.currentTarget.value))}
          />
        </label>
        <button type="submit" className="primary" data-testid="run-start" disabled={!canRun}>
          {t('run.start', { n: num(chosen.length) })}
        </button>
      </form>
    </section>
  );
}
