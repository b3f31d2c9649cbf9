// The templates tab's ways into the template editor: a row's link to its template (Edit for
// admins, View for everyone else: the editor is read-only for them) and, for admins, the
// "New template" button that opens the editor on the skeleton (#/workflows/new-template).
import { useI18n } from '../../i18n/use-i18n';
import { formatRoute } from '../../stores/fleet/route';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';

export function TemplateOpenLink({ id }: { id: string }) {
  const { t } = useI18n();
  const role = useAppStore(selectRole);
  const edit = mayCall(role, 'workflows.saveTemplate');
  return (
    <a href={formatRoute({ view: 'wf-template', templateId: id })} data-testid="wf-template-open" data-mode={edit ? 'edit' : 'view'}>
      {t(edit ? 'wf.tpl.edit' : 'wf.tpl.view')}
    </a>
  );
}

export function NewTemplateLink() {
  const { t } = useI18n();
  const role = useAppStore(selectRole);
  if (!mayCall(role, 'workflows.saveTemplate')) return null;
  return (
    <a className="wf-button-link" href={formatRoute({ view: 'wf-template', templateId: null })} data-testid="wf-template-new">
      {t('wf.tpl.new')}
    </a>
  );
}
