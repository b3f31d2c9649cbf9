// The printable label sheet of a cabinet or a row (#/labels/cabinet/<id>, #/labels/row/<id>):
// one label per device with its hostname, SN, U position and cabinet, and a QR code that
// opens the device through the scan page. Print CSS lays the labels out on A4 and hides the
// console's chrome; "Print" calls window.print().
import { useEffect, useState } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/use-i18n';
import { loadLabelSheet, type DeviceLabel, type LabelSheetData } from '../../stores/locate/labels';
import { toShownError, type ShownError } from '../../stores/shown-error';
import './label-sheet.css';

export function LabelSheet({ scope, id }: { scope: 'cabinet' | 'row'; id: string }) {
  const { t } = useI18n();
  const [attempt, setAttempt] = useState(0);
  const key = `${scope}/${id}/${attempt}`;
  // The answer for the sheet asked for; an older one (another route, a retry) is not shown.
  const [answer, setAnswer] = useState<{ key: string; sheet: LabelSheetData | null; error: ShownError | null } | null>(null);
  useEffect(() => {
    let live = true;
    loadLabelSheet(scope, id).then(
      (s) => live && setAnswer({ key, sheet: s, error: null }),
      (err: unknown) => live && setAnswer({ key, sheet: null, error: toShownError(err) }),
    );
    return () => {
      live = false;
    };
  }, [scope, id, key]);
  const sheet = answer?.key === key ? answer.sheet : null;
  const error = answer?.key === key ? answer.error : null;
  const name = sheet ? t(scope === 'cabinet' ? 'labels.cabinet' : 'labels.row', { name: sheet.name }) : '';
  return (
    <main className="label-sheet-view" data-testid="label-sheet" data-scope={scope} data-ready={String(sheet !== null)}>
      {error && <ErrorBanner error={error} action="action.labels" onRetry={() => setAttempt((n) => n + 1)} />}
      {!sheet && !error && <p className="loading">{t('labels.loading')}</p>}
      {sheet && (
        <>
          <div className="view-head no-print">
            <h1>{t('labels.title', { name })}</h1>
            <button type="button" className="primary" data-testid="labels-print" onClick={() => window.print()}>
              {t('labels.print')}
            </button>
            <span className="muted" data-testid="labels-count" data-value={sheet.labels.length}>
              {t('labels.count', { n: sheet.labels.length })}
            </span>
          </div>
          {sheet.labels.length === 0 && <p className="muted">{t('labels.none')}</p>}
          <div className="labels">
            {sheet.labels.map((l) => (
              <Label key={l.deviceId} label={l} />
            ))}
          </div>
        </>
      )}
    </main>
  );
}

function Label({ label: l }: { label: DeviceLabel }) {
  const { t } = useI18n();
  const where = l.uHeight === 0 ? t('labels.zeroU') : t('labels.u', { from: l.uPosition, to: l.uPosition + l.uHeight - 1 });
  return (
    <article className="label" data-testid="label" data-device-id={l.deviceId} data-sn={l.sn} data-payload={l.payload}>
      <img className="label-qr" src={l.qr} alt={l.payload} data-testid="label-qr" width={132} height={132} />
      <div className="label-text">
        <div className="label-host">{l.hostname}</div>
        <div className="label-sn">{t('labels.sn', { sn: l.sn })}</div>
        <div className="label-where">
          {where} · {l.cabinetName}
        </div>
        <div className="label-row muted">
          {l.rowName} · {l.roomName}
        </div>
      </div>
    </article>
  );
}
