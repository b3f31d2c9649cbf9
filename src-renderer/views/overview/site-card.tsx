// One site on the overview: answering of what is monitored, unreachable and not-monitored
// counts, and its rooms. A site whose devices have no SNMP credential is shown grey as
// "not monitored", never as a red 0 % (which would read as an outage).
import { CountBar } from '../../components/count-bar';
import { useI18n } from '../../i18n/use-i18n';
import type { RoomOverview, SiteOverview } from '../../../src-shared/domain';
import { navigate } from '../../stores/fleet/actions';
import { InlineCount } from './count';
import { monitoringOf } from './overview-health';

export function SiteCard({ site }: { site: SiteOverview }) {
  const { t, num } = useI18n();
  const m = monitoringOf(site);
  return (
    <section className={`site-card ${m.unmonitored ? 'site-unmonitored' : ''}`} data-testid="site-card" data-site-id={site.id} data-tone={m.tone}>
      <header className="site-head">
        <h2 title={`${site.name} ${site.city}`}>
          {site.name} <span className="muted">{site.city}</span>
        </h2>
        {m.unmonitored ? (
          <span className="site-big tone-text-empty" data-testid="site-answering" data-value={site.answering} data-tone="empty">
            {t('scale.total.notMonitored')}
          </span>
        ) : (
          <span className={`site-big tone-text-${m.tone}`} data-testid="site-answering" data-value={site.answering} data-tone={m.tone}>
            <InlineCount value={site.answering} />
            <span className="muted">
              {' / '}
              <InlineCount value={m.monitored} />
            </span>
          </span>
        )}
      </header>
      {m.unmonitored ? (
        <p className="muted site-note" data-testid="site-unmonitored-note">
          {t('scale.site.notMonitored')}
        </p>
      ) : (
        <CountBar answering={m.answering} devices={m.polled} degraded={0} />
      )}
      <div className="site-chips">
        {!m.unmonitored && (
          <span className={`site-chip ${m.unreachable > 0 ? 'tone-text-bad' : 'muted'}`} data-testid="site-unreachable" data-value={m.unreachable}>
            {t('scale.site.unreachable', { n: num(m.unreachable) })}
          </span>
        )}
        {m.notMonitored > 0 && (
          <span className="site-chip muted" data-testid="site-not-monitored" data-value={m.notMonitored}>
            {t('scale.site.someNotMonitored', { n: num(m.notMonitored) })}
          </span>
        )}
      </div>
      <table className="room-table">
        <thead>
          <tr>
            <th>{t('col.room')}</th>
            <th className="num">{t('col.cabinets')}</th>
            <th className="num">{t('col.devices')}</th>
            <th className="num">{t('col.answering')}</th>
            <th className="num">{t('col.degraded')}</th>
            <th className="num">{t('scale.col.unreachable')}</th>
            <th className="num">{t('scale.col.notMonitored')}</th>
            <th className="bar-col" />
          </tr>
        </thead>
        <tbody>
          {site.rooms.map((room) => (
            <RoomRow key={room.id} room={room} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function RoomRow({ room }: { room: RoomOverview }) {
  const { t } = useI18n();
  const m = monitoringOf(room);
  const open = () => navigate({ view: 'room', roomId: room.id });
  return (
    <tr
      className={`room-row ${m.unmonitored ? 'room-unmonitored' : ''}`}
      data-testid="room-row"
      data-room-id={room.id}
      tabIndex={0}
      aria-label={t('overview.openRoom', { name: room.name })}
      onClick={open}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') open();
      }}
    >
      <td className="room-name" title={room.name}>
        {room.name}{' '}
        <a href={`#/room3d/${encodeURIComponent(room.id)}`} data-testid="room3d-link" className="small" onClick={(e) => e.stopPropagation()}>
          {t('room3d.link')}
        </a>
      </td>
      <td className="num">
        <InlineCount value={room.cabinets} />
      </td>
      <td className="num">
        <InlineCount value={room.devices} />
      </td>
      <td className={`num tone-text-${m.tone}`} data-testid="room-answering" data-value={room.answering} data-tone={m.tone}>
        <InlineCount value={room.answering} />
      </td>
      <td className={`num ${room.degraded > 0 ? 'tone-text-warn' : 'muted'}`} data-testid="room-degraded" data-value={room.degraded}>
        <InlineCount value={room.degraded} />
      </td>
      <td className={`num ${m.unreachable > 0 ? 'tone-text-bad' : 'muted'}`} data-testid="room-unreachable" data-value={m.unreachable}>
        <InlineCount value={m.unreachable} />
      </td>
      <td className="num muted" data-testid="room-not-monitored" data-value={m.notMonitored}>
        <InlineCount value={m.notMonitored} />
      </td>
      <td className="bar-col">
        {!m.unmonitored && <CountBar answering={m.answering} devices={m.polled} degraded={m.degraded} label={false} />}
      </td>
    </tr>
  );
}
