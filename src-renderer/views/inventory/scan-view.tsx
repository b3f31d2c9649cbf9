// The scan page (#/scan, #/scan/<sn> — what a label's QR code opens): type or scan an SN and
// the device with exactly that SN opens. Where the browser has BarcodeDetector and a camera,
// a camera button reads QR codes (a label's link or a bare SN); otherwise there is none.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/use-i18n';
import { navigate } from '../../stores/fleet/actions';
import { findDeviceBySn } from '../../stores/locate/labels';
import { toShownError, type ShownError } from '../../stores/shown-error';

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type DetectorCtor = new (opts: { formats: string[] }) => Detector;

function detectorCtor(): DetectorCtor | null {
  const ctor = (globalThis as { BarcodeDetector?: DetectorCtor }).BarcodeDetector;
  return ctor && typeof navigator.mediaDevices?.getUserMedia === 'function' ? ctor : null;
}

/** The SN in a scanned text: a label's #/scan/<sn> link, or the text itself. */
export function snFromScan(text: string): string {
  const m = /#\/scan\/([^?#\s]+)/.exec(text);
  return m ? decodeURIComponent(m[1]) : text.trim();
}

export function ScanView({ sn }: { sn?: string }) {
  const { t } = useI18n();
  const [typed, setTyped] = useState(sn ?? '');
  const [state, setState] = useState<{ busy: string | null; notFound: string | null; error: ShownError | null }>({ busy: null, notFound: null, error: null });
  const lookup = useCallback(async (value: string) => {
    const q = value.trim();
    if (!q) return;
    setState({ busy: q, notFound: null, error: null });
    try {
      const hit = await findDeviceBySn(q);
      if (hit) navigate({ view: 'device', deviceId: hit.deviceId });
      else setState({ busy: null, notFound: q, error: null });
    } catch (err) {
      setState({ busy: null, notFound: null, error: toShownError(err) });
    }
  }, []);
  useEffect(() => {
    // A label's link (#/scan/<sn>): look the SN up at once.
    if (!sn) return;
    let live = true;
    findDeviceBySn(sn).then(
      (hit) => {
        if (!live) return;
        if (hit) navigate({ view: 'device', deviceId: hit.deviceId });
        else setState({ busy: null, notFound: sn, error: null });
      },
      (err: unknown) => live && setState({ busy: null, notFound: null, error: toShownError(err) }),
    );
    return () => {
      live = false;
    };
  }, [sn]);
  return (
    <main className="scan-view" data-testid="scan-view">
      <div className="view-head">
        <h1>{t('scan.title')}</h1>
      </div>
      <form
        className="scan-form"
        onSubmit={(e) => {
          e.preventDefault();
          void lookup(typed);
        }}
      >
        <label className="field">
          <span>{t('scan.prompt')}</span>
          <input data-testid="scan-input" value={typed} autoFocus autoComplete="off" spellCheck={false} onChange={(e) => setTyped(e.currentTarget.value)} />
        </label>
        <button type="submit" className="primary" data-testid="scan-submit" disabled={state.busy !== null || !typed.trim()}>
          {t('scan.open')}
        </button>
      </form>
      <CameraScan onText={(text) => void lookup(snFromScan(text))} />
      {state.busy && (
        <p className="muted" role="status" data-testid="scan-searching">
          {t('scan.searching', { sn: state.busy })}
        </p>
      )}
      {state.notFound && (
        <p className="banner banner-error" role="alert" data-testid="scan-not-found">
          {t('scan.notFound', { sn: state.notFound })}
        </p>
      )}
      {state.error && <ErrorBanner error={state.error} action="action.scan" />}
    </main>
  );
}

function CameraScan({ onText }: { onText: (text: string) => void }) {
  const { t } = useI18n();
  const [on, setOn] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const Ctor = detectorCtor();
  useEffect(() => {
    if (!on || !Ctor) return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | null = null;
    let live = true;
    const detector = new Ctor({ formats: ['qr_code'] });
    void navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(
      (s) => {
        if (!live) return s.getTracks().forEach((tr) => tr.stop());
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play();
        }
        timer = setInterval(() => {
          if (!video.current) return;
          void detector.detect(video.current).then((codes) => {
            if (codes[0] && live) {
              setOn(false);
              onText(codes[0].rawValue);
            }
          });
        }, 300);
      },
      () => setOn(false),
    );
    return () => {
      live = false;
      if (timer) clearInterval(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [on, Ctor, onText]);
  if (!Ctor) return null;
  return (
    <div className="scan-camera" data-testid="scan-camera">
      <button type="button" data-testid="scan-camera-toggle" onClick={() => setOn((v) => !v)}>
        {on ? t('scan.cameraStop') : t('scan.camera')}
      </button>
      {on && <video ref={video} className="scan-video" muted playsInline />}
    </div>
  );
}
