// The lab fault panel's Network section: a fault in the lab's network model between its hosts'
// agents (what the probe matrix measures). Pick the component kind (a host's link, a ToR, a
// ToR's uplink, a room's spine, a site's WAN edge) and the object: this cabinet's servers, the
// room's ToRs (the probe topology's: a row's switch), every room, every site; then a loss in %
// and a one-way delay in ms to apply, or clear it. The lab's active network faults are listed
// (lab.status.netFaults) with a clear button each. Operators only get the controls; the list
// shows to everyone. A form that holds no fault says why beside the inputs and sends nothing;
// the core's refusals show in the panel's banner like every other fault's.
import { useEffect, useState } from 'react';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import type { CabinetElevation } from '../../../src-shared/domain';
import { clearNetFault, injectNetFault, loadNetTargets } from '../../stores/lab/actions';
import { componentId, NET_FAULT_KINDS, netFaultOf, parseComponent, type NetFaultKind, type NetFormProblem } from '../../stores/lab/net-fault';
import { selectLabPending, selectNetFaults, selectNetTargets, selectNetTargetsError } from '../../stores/lab/selectors';
import type { NetTarget } from '../../stores/lab/slice';
import { selectSelectedDeviceId } from '../../stores/fleet/selectors';
import { useAppStore } from '../../stores/store';
import './net-fault.css';

const PROBLEM_KEYS: Record<NetFormProblem, MessageKey> = { noObject: 'fault.net.noObject', badLoss: 'fault.net.badLoss', badDelay: 'fault.net.badDelay' };

export function NetFaultSection({ elevation, may }: { elevation: CabinetElevation; may: boolean }) {
  const { t, num } = useI18n();
  const faults = useAppStore(selectNetFaults);
  const targets = useAppStore(selectNetTargets);
  const targetsError = useAppStore(selectNetTargetsError);
  const pending = useAppStore(selectLabPending);
  const selected = useAppStore(selectSelectedDeviceId);
  const roomId = elevation.room.id;
  useEffect(() => {
    if (may) void loadNetTargets(roomId);
  }, [may, roomId]);

  const [kind, setKind] = useState<NetFaultKind>('host-link');
  const [picked, setPicked] = useState<Partial<Record<NetFaultKind, string>>>({});
  const [lossPct, setLoss] = useState('0');
  const [delayMs, setDelay] = useState('0');
  const [tried, setTried] = useState(false);

  const here = targets?.roomId === roomId ? targets : null;
  const servers: NetTarget[] = elevation.devices.filter((d) => d.kind === 'server').map((d) => ({ id: d.id, label: d.hostname }));
  const options: Record<NetFaultKind, readonly NetTarget[]> = {
    'host-link': servers,
    tor: here?.tors ?? [],
    'tor-uplink': here?.tors ?? [],
    spine: here?.rooms ?? [],
    wan: here?.sites ?? [],
  };
  // What each kind starts on: the selected server, this row's ToR, this room, this site.
  const rowTor = here?.tors.find((x) => x.rowId === elevation.row.id)?.id;
  const start: Record<NetFaultKind, string | undefined> = {
    'host-link': servers.find((s) => s.id === selected)?.id ?? servers[0]?.id,
    tor: rowTor,
    'tor-uplink': rowTor,
    spine: roomId,
    wan: elevation.site.id,
  };
  const choices = options[kind];
  const wanted = picked[kind] ?? start[kind];
  const objectId = choices.some((c) => c.id === wanted) ? (wanted as string) : (choices[0]?.id ?? '');
  const form = { kind, objectId, lossPct, delayMs };
  const checked = netFaultOf(form);
  const problem = 'problem' in checked ? checked.problem : null;

  const label = (component: string): string => {
    const c = parseComponent(component);
    if (!c) return component;
    const named = options[c.kind].find((o) => o.id === c.objectId)?.label ?? c.objectId;
    return `${t(`fault.net.kind.${c.kind}` as MessageKey)} · ${named}`;
  };

  return (
    <section className="net-fault" data-testid="net-fault-section">
      <h3>{t('fault.net.title')}</h3>
      {may && (
        <div className="net-fault-form">
          <label>
            <span>{t('fault.net.kind')}</span>
            <select data-testid="net-fault-kind" value={kind} onChange={(e) => setKind(e.target.value as NetFaultKind)}>
              {NET_FAULT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`fault.net.kind.${k}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('fault.net.object')}</span>
            <select data-testid="net-fault-object" value={objectId} disabled={choices.length === 0} onChange={(e) => setPicked({ ...picked, [kind]: e.target.value })}>
              {choices.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('fault.net.loss')}</span>
            <input data-testid="net-fault-loss" inputMode="decimal" value={lossPct} aria-invalid={tried && problem === 'badLoss'} onChange={(e) => setLoss(e.target.value)} />
          </label>
          <label>
            <span>{t('fault.net.delay')}</span>
            <input data-testid="net-fault-delay" inputMode="decimal" value={delayMs} aria-invalid={tried && problem === 'badDelay'} onChange={(e) => setDelay(e.target.value)} />
          </label>
          <div className="net-fault-actions">
            <button
              type="button"
              className="danger"
              data-testid="net-fault-apply"
              disabled={pending !== null}
              onClick={() => {
                setTried(true);
                void injectNetFault(form);
              }}
            >
              {t('fault.net.apply')}
            </button>
            <button type="button" data-testid="net-fault-clear" disabled={pending !== null || objectId === ''} onClick={() => void clearNetFault(componentId(kind, objectId))}>
              {t('fault.net.clear')}
            </button>
          </div>
          {tried && problem && (
            <p className="net-fault-problem" role="alert" data-testid="net-fault-problem" data-problem={problem}>
              {t(PROBLEM_KEYS[problem])}
            </p>
          )}
          {!here && !targetsError && kind !== 'host-link' && <p className="muted small">{t('fault.net.loading')}</p>}
          {targetsError && (
            <p className="net-fault-problem" role="alert" data-testid="net-fault-targets-error">
              {t('fault.net.targetsError')}
            </p>
          )}
        </div>
      )}
      <h4>{t('fault.net.active')}</h4>
      {faults.length === 0 ? (
        <p className="muted small" data-testid="net-fault-none">
          {t('fault.net.none')}
        </p>
      ) : (
        <ul className="net-fault-list" data-testid="net-fault-list">
          {faults.map((f) => (
            <li key={f.component} data-testid="net-fault-row" data-component={f.component}>
              <span>{t('fault.net.row', { component: label(f.component), loss: num(Math.round(f.loss * 10_000) / 100), delay: num(f.delayMs) })}</span>
              {may && (
                <button type="button" data-testid="net-fault-row-clear" disabled={pending !== null} onClick={() => void clearNetFault(f.component)}>
                  {t('fault.net.clear')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
