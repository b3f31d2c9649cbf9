// The inventory's places on the Inventory page: sites → rooms → rows → cabinets (devices
// per cabinet), each with Edit and Delete and an Add for the kind it holds, and "Add site"
// (operators only: viewers see the tree without controls). A big tree (the lab's) shows a
// room's rows folded until asked. Forms and the delete dialog: place-form, place-delete.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { LocationKind } from '../../../src-shared/domain';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n, type I18n } from '../../i18n/use-i18n';
import { askDeletePlace, loadPlaces, openAddPlace, openEditPlace } from '../../stores/places/actions';
import { placeTreeOf, type CabinetNode, type RoomNode, type RowNode, type SiteNode } from '../../stores/places/place-tree';
import { selectPlaceTree, selectPlaceTreeError } from '../../stores/places/selectors';
import { leastRole, mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { PlaceChangeNote, PlaceDeleteDialog } from './place-delete';
import { PlaceFormDialog } from './place-form';
import './places-panel.css';

/** Trees with more cabinets than this show each room's rows folded. */
const FOLD_ABOVE_CABINETS = 60;
const PUT_ROLE = leastRole('inventory.putLocation');

export function PlacesPanel() {
  const { t } = useI18n();
  const tree = useAppStore(selectPlaceTree);
  const error = useAppStore(selectPlaceTreeError);
  const role = useAppStore(selectRole);
  const mayEdit = mayCall(role, 'inventory.putLocation');
  useEffect(() => {
    void loadPlaces();
  }, []);
  const sites = useMemo(() => (tree ? placeTreeOf(tree) : null), [tree]);
  const fold = (tree?.cabinets.length ?? 0) > FOLD_ABOVE_CABINETS;
  return (
    <section className="inv-panel places-panel" data-testid="places-panel" data-editable={mayEdit}>
      <div className="places-head">
        <h2>{t('place.title')}</h2>
        {mayEdit && (
          <button type="button" data-testid="place-add-site" onClick={() => openAddPlace('site')}>
            {t('place.add.site')}
          </button>
        )}
      </div>
      <p className="muted">{t('place.hint')}</p>
      {role && !mayEdit && (
        <p className="inv-role-note" data-testid="place-role-note">
          {t('place.roleNote', { required: t(`role.${PUT_ROLE}` as MessageKey), role: t(`role.${role}` as MessageKey) })}
        </p>
      )}
      <PlaceChangeNote />
      {error && <ErrorBanner error={error} action="action.places" onRetry={() => void loadPlaces()} testId="places-error" />}
      {!sites && !error && <p className="loading">{t('place.loading')}</p>}
      {sites && sites.length === 0 && <p className="muted" data-testid="places-empty">{t('place.empty')}</p>}
      {sites && sites.length > 0 && (
        <ul className="place-tree" data-testid="place-tree">
          {sites.map((s) => (
            <SiteBranch key={s.site.id} node={s} mayEdit={mayEdit} fold={fold} />
          ))}
        </ul>
      )}
      {mayEdit && <PlaceFormDialog />}
      {mayEdit && <PlaceDeleteDialog />}
    </section>
  );
}

function SiteBranch({ node, mayEdit, fold }: { node: SiteNode; mayEdit: boolean; fold: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { site } = node;
  return (
    <Place kind="site" id={site.id} name={site.name} facts={[site.city, devicesText(i18n, node.devices)]} mayEdit={mayEdit} adds="room">
      {node.rooms.length === 0 ? (
        <p className="muted small">{t('place.noRooms')}</p>
      ) : (
        <ul>
          {node.rooms.map((r) => (
            <RoomBranch key={r.room.id} node={r} mayEdit={mayEdit} fold={fold} />
          ))}
        </ul>
      )}
    </Place>
  );
}

function RoomBranch({ node, mayEdit, fold }: { node: RoomNode; mayEdit: boolean; fold: boolean }) {
  const i18n = useI18n();
  const { t, num } = i18n;
  const [open, setOpen] = useState(!fold);
  const { room } = node;
  const cabinets = t(node.cabinets === 1 ? 'place.cabinets.one' : 'place.cabinets.other', { n: num(node.cabinets) });
  return (
    <Place kind="room" id={room.id} name={room.name} href={`#/room/${encodeURIComponent(room.id)}`} facts={[cabinets, devicesText(i18n, node.devices)]} mayEdit={mayEdit} adds="row">
      {fold && node.rows.length > 0 && (
        <button type="button" className="ghost small" data-testid="place-unfold" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'} {t('place.kind.row')} ({num(node.rows.length)})
        </button>
      )}
      {node.rows.length === 0 && <p className="muted small">{t('place.noRows')}</p>}
      {open && node.rows.length > 0 && (
        <ul>
          {node.rows.map((w) => (
            <RowBranch key={w.row.id} node={w} mayEdit={mayEdit} />
          ))}
        </ul>
      )}
    </Place>
  );
}

function RowBranch({ node, mayEdit }: { node: RowNode; mayEdit: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { row } = node;
  return (
    <Place kind="row" id={row.id} name={row.name} facts={[devicesText(i18n, node.devices)]} mayEdit={mayEdit} adds="cabinet">
      {node.cabinets.length === 0 ? (
        <p className="muted small">{t('place.noCabinets')}</p>
      ) : (
        <ul>
          {node.cabinets.map((c) => (
            <CabinetLeaf key={c.cabinet.id} node={c} mayEdit={mayEdit} />
          ))}
        </ul>
      )}
    </Place>
  );
}

function CabinetLeaf({ node, mayEdit }: { node: CabinetNode; mayEdit: boolean }) {
  const i18n = useI18n();
  const { t, num } = i18n;
  const c = node.cabinet;
  const facts = [t('place.cabinetFacts', { position: c.position, height: c.uHeight, kw: num(c.ratedPowerKw) }), devicesText(i18n, node.devices)];
  return <Place kind="cabinet" id={c.id} name={c.name} href={`#/cabinet/${encodeURIComponent(c.id)}`} facts={facts} devices={node.devices} mayEdit={mayEdit} />;
}

function devicesText({ t, num }: I18n, n: number): string {
  return t(n === 1 ? 'place.devices.one' : 'place.devices.other', { n: num(n) });
}

/** One place's line (kind, name, facts, and for operators Edit, Delete, Add <child>) and what it holds. */
function Place(props: {
  kind: LocationKind;
  id: string;
  name: string;
  href?: string;
  facts: string[];
  devices?: number;
  mayEdit: boolean;
  adds?: LocationKind;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const { kind, id, name, adds } = props;
  return (
    <li className={`place place-${kind}`} data-testid="place-node" data-kind={kind} data-id={id} data-name={name} data-devices={props.devices}>
      <div className="place-line">
        <span className="place-kind muted small">{t(`place.kind.${kind}` as MessageKey)}</span>
        {props.href ? (
          <a className="place-name" data-testid="place-name" href={props.href}>
            {name}
          </a>
        ) : (
          <strong className="place-name" data-testid="place-name">
            {name}
          </strong>
        )}
        <code className="place-id muted small">{id}</code>
        <span className="place-facts muted small" data-testid="place-facts">
          {props.facts.filter(Boolean).join(' · ')}
        </span>
        {props.mayEdit && (
          <span className="place-buttons">
            <button type="button" className="small" data-testid="place-edit" onClick={() => openEditPlace(kind, id)}>
              {t('place.edit')}
            </button>
            <button type="button" className="small danger" data-testid="place-delete" onClick={() => askDeletePlace({ kind, id, name })}>
              {t('place.delete')}
            </button>
            {adds && (
              <button type="button" className="small" data-testid="place-add" data-add-kind={adds} onClick={() => openAddPlace(adds, id)}>
                {t(`place.add.${adds}` as MessageKey)}
              </button>
            )}
          </span>
        )}
      </div>
      {props.children}
    </li>
  );
}
