// The skeleton the template editor starts a new template from (src-shared/domain/workflow-tools.ts)
// is a template the core's save check accepts as it stands, with the built-in tools alone.
import { describe, expect, it } from 'vitest';
import { WF_TEMPLATE_SKELETON } from '../../../../src-shared/domain/workflow-tools';
import { validateTemplate } from '../../../../src-main/core/workflows/template';
import { toolRegistry } from '../../../../src-main/core/workflows/tool';
import { BUILTIN_TOOLS } from '../../../../src-main/core/workflows/workflows-module';

describe('the new-template skeleton', () => {
  it('passes the save check unchanged', () => {
    expect(validateTemplate(WF_TEMPLATE_SKELETON, toolRegistry(BUILTIN_TOOLS)).template).toEqual(WF_TEMPLATE_SKELETON);
  });
});
