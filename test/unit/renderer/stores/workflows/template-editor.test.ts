// The template editor's store against a fake client and its model: a new template starts from
// the skeleton; text that is not JSON is named by line and column and
// a JSON list is refused, neither sent; a template opens as its JSON with the tools read once;
// a refused save keeps the core's issues naming the step and field (and the text as typed); a
// save shows the version it made and takes the core's copy; a new template's save follows it
// to its own page, where the saved version stays shown; a dropped save is an error, not a
// refusal.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WfTemplate, WfTemplateInfo } from '../../../../../src-shared/domain/workflow';
import type { WfToolInfo } from '../../../../../src-shared/domain/workflow-tools';
import { RemoteError } from '../../../../../src-shared/errors';
import { setClient } from '../../../../../src-renderer/stores/client';
import { useAppStore } from '../../../../../src-renderer/stores/store';
import { initialWorkflows } from '../../../../../src-renderer/stores/workflows/slice';
import { openTemplateEditor, revertTemplateText, saveEditedTemplate, setTemplateText } from '../../../../../src-renderer/stores/workflows/template-actions';
import { jsonErrorOffset, parseTemplateText, TEMPLATE_SKELETON, templateRefusal, templateText } from '../../../../../src-renderer/stores/workflows/template-model';
import { fakeClient } from '../fake-client';

const ed = () => useAppStore.getState().workflows.editor;
const fakeLocation = { hash: '' };

const TEMPLATE: WfTemplate = { id: 'notify', name: 'Notify', params: [], steps: [{ id: 'approve', tool: 'wf.approval', scope: 'run', inputs: { message: 'go?' } }] };
const info = (version: number, template: WfTemplate = TEMPLATE): WfTemplateInfo => ({ id: template.id, version, name: template.name, savedBy: 'ada', savedAt: 1_000 * version, template });
const TOOLS: WfToolInfo[] = [
  { name: 'wf.callback', title: 'Callback', kind: 'callback', idempotent: true, inputs: [], outputs: [] },
  { name: 'wf.approval', title: 'Approval', kind: 'approval', idempotent: true, inputs: [{ name: 'message', type: 'string', optional: true, default: '' }], outputs: [] },
];
const refusal = () =>
  new RemoteError({
    name: 'ValidationError', code: 'VALIDATION', message: 'Template notify has 2 problems: ...',
    params: {
      step: 's7', field: 'steps.s7.inputs.count',
      issues: [
        { step: 's7', field: 'steps.s7.inputs.count', message: 'step s7, input count: ${steps.s3.outputs.up} is a boolean; count takes a number' },
        { field: 'name', message: 'name: Too small' },
      ],
    },
  });

beforeEach(() => {
  vi.stubGlobal('location', fakeLocation);
  fakeLocation.hash = '';
});

afterEach(() => {
  setClient(null);
  vi.unstubAllGlobals();
  useAppStore.setState({ workflows: initialWorkflows });
});

describe('the model', () => {
  it('starts a new template from the skeleton (the core’s check of it: test/unit/core/workflows/template-skeleton.test.ts)', () => {
    expect(parseTemplateText(templateText(TEMPLATE_SKELETON))).toEqual({ ok: true, value: TEMPLATE_SKELETON });
  });

  it('names where text stops being JSON, and refuses JSON that is not an object', () => {
    const r = parseTemplateText('{\n  "id": "x",\n  "name": oops\n}');
    expect(r).toMatchObject({ ok: false, problem: { kind: 'json', line: 3, column: 11 } });
    expect(parseTemplateText('{"steps": [1, 2,]}')).toMatchObject({ problem: { line: 1, column: 17 } });
    expect(parseTemplateText('{"name": "unended\n}')).toMatchObject({ problem: { kind: 'json', line: 1, column: 18 } });
    expect(parseTemplateText('{}\n{}')).toMatchObject({ problem: { line: 2, column: 1 } });
    expect(parseTemplateText('')).toMatchObject({ problem: { line: 1, column: 1 } });
    expect(jsonErrorOffset('{"a": [true, false, null, -1.5e3, "\\u00e9"]}')).toBeNull();
    expect(parseTemplateText('[1, 2]')).toEqual({ ok: false, problem: { kind: 'notObject' } });
    expect(parseTemplateText('null')).toEqual({ ok: false, problem: { kind: 'notObject' } });
  });

  it('lists the core’s issues with their step and field, and leaves other errors alone', () => {
    const e = refusal();
    expect(templateRefusal({ name: e.name, code: e.code, message: e.message, params: e.params })).toEqual([
      { step: 's7', field: 'steps.s7.inputs.count', message: 'step s7, input count: ${steps.s3.outputs.up} is a boolean; count takes a number' },
      { step: null, field: 'name', message: 'name: Too small' },
    ]);
    expect(templateRefusal({ name: 'ValidationError', code: 'VALIDATION', message: 'step a: unknown tool', params: { step: 'a', field: 'steps.a.tool' } })).toEqual([
      { step: 'a', field: 'steps.a.tool', message: 'step a: unknown tool' },
    ]);
    expect(templateRefusal({ name: 'FleetDeckError', code: 'UNAVAILABLE', message: 'connection lost' })).toBeNull();
  });
});

describe('the editor', () => {
  it('opens a template as its JSON, reads the tools once, and saves a new version', async () => {
    const { calls } = fakeClient({
      'workflows.template': () => info(1),
      'workflows.tools': () => TOOLS,
      'workflows.templates': () => [info(2)],
      'workflows.saveTemplate': (a) => info(2, a.template as WfTemplate),
    });
    await openTemplateEditor('notify');
    await vi.waitFor(() => expect(ed().tools).not.toBeNull());
    expect(ed()).toMatchObject({ templateId: 'notify', info: { version: 1 }, text: templateText(TEMPLATE), dirty: false });
    expect(ed().tools?.map((t) => t.name)).toEqual(['wf.approval', 'wf.callback']);
    const edited = { ...TEMPLATE, name: 'Notify the desk' };
    setTemplateText(JSON.stringify(edited));
    expect(ed().dirty).toBe(true);
    const saved = await saveEditedTemplate();
    expect(saved?.version).toBe(2);
    expect(calls('workflows.saveTemplate')).toEqual([{ template: edited }]);
    expect(ed()).toMatchObject({ savedVersion: 2, dirty: false, text: templateText(edited), saveError: null, info: { version: 2 } });
    expect(fakeLocation.hash).toBe('');
    // Opening the same page again (the route applied) keeps the saved version shown; the tools are not read again.
    await openTemplateEditor('notify');
    expect(ed().savedVersion).toBe(2);
    expect(calls('workflows.tools')).toHaveLength(1);
  });

  it('does not send text that is not a JSON object', async () => {
    const { calls } = fakeClient({ 'workflows.template': () => info(1), 'workflows.tools': () => TOOLS });
    await openTemplateEditor('notify');
    setTemplateText('{ "id": "notify", ');
    expect(await saveEditedTemplate()).toBeNull();
    expect(ed().textProblem).toMatchObject({ kind: 'json' });
    setTemplateText('[]');
    await saveEditedTemplate();
    expect(ed().textProblem).toEqual({ kind: 'notObject' });
    expect(calls('workflows.saveTemplate')).toEqual([]);
  });

  it('keeps a refusal and the text as typed, then saves the fix', async () => {
    let refuse = true;
    fakeClient({
      'workflows.template': () => info(1),
      'workflows.tools': () => TOOLS,
      'workflows.templates': () => [],
      'workflows.saveTemplate': (a) => {
        if (refuse) throw refusal();
        return info(2, a.template as WfTemplate);
      },
    });
    await openTemplateEditor('notify');
    const typed = JSON.stringify({ ...TEMPLATE, name: '' });
    setTemplateText(typed);
    expect(await saveEditedTemplate()).toBeNull();
    expect(ed()).toMatchObject({ text: typed, dirty: true, saving: false, savedVersion: null, saveError: { code: 'VALIDATION' } });
    expect(templateRefusal(ed().saveError!)?.map((i) => i.step)).toEqual(['s7', null]);
    refuse = false;
    setTemplateText(JSON.stringify(TEMPLATE));
    await saveEditedTemplate();
    expect(ed()).toMatchObject({ saveError: null, savedVersion: 2, dirty: false });
  });

  it('starts a new template from the skeleton and follows its save to its own page', async () => {
    const { calls } = fakeClient({
      'workflows.tools': () => TOOLS,
      'workflows.templates': () => [],
      'workflows.saveTemplate': (a) => info(1, a.template as WfTemplate),
      'workflows.template': (a) => info(1, { ...TEMPLATE_SKELETON, id: String(a.id) }),
    });
    await openTemplateEditor(null);
    expect(ed()).toMatchObject({ templateId: null, info: null, text: templateText(TEMPLATE_SKELETON), dirty: false });
    setTemplateText(JSON.stringify({ ...TEMPLATE_SKELETON, id: 'rack-check' }));
    revertTemplateText();
    expect(ed().text).toBe(templateText(TEMPLATE_SKELETON));
    setTemplateText(JSON.stringify({ ...TEMPLATE_SKELETON, id: 'rack-check' }));
    await saveEditedTemplate();
    expect(fakeLocation.hash).toBe('#/workflows/templates/rack-check');
    expect(ed()).toMatchObject({ templateId: 'rack-check', savedVersion: 1, info: { id: 'rack-check', version: 1 } });
    await openTemplateEditor('rack-check');
    expect(ed()).toMatchObject({ templateId: 'rack-check', savedVersion: 1 });
    expect(calls('workflows.saveTemplate')).toHaveLength(1);
  });

  it('shows a save the connection dropped as an error, not as a refusal', async () => {
    fakeClient({
      'workflows.template': () => info(1),
      'workflows.tools': () => TOOLS,
      'workflows.saveTemplate': () => {
        throw new RemoteError({ name: 'FleetDeckError', code: 'UNAVAILABLE', message: 'the console went away' });
      },
    });
    await openTemplateEditor('notify');
    setTemplateText(JSON.stringify(TEMPLATE));
    await saveEditedTemplate();
    expect(ed().saveError).toMatchObject({ code: 'UNAVAILABLE' });
    expect(templateRefusal(ed().saveError!)).toBeNull();
  });
});
