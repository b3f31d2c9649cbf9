// Import issues worded from their codes: every code has an English and a zh-CN wording;
// English equals the core's message on the core's own issues (fixtures/import-issues.json,
// kept by test/unit/core/inventory/issue-codes.test.ts); zh-CN words them in Chinese; an
// unknown code or unusable params fall back to the core's message.
import { describe, expect, it } from 'vitest';
import { IMPORT_ISSUE_CODES, type ImportIssue } from '../../../../src-shared/domain';
import { importIssueText, wordedIssueCodes } from '../../../../src-renderer/i18n/import-text';
import samples from './fixtures/import-issues.json';

const issues = samples as unknown as Pick<ImportIssue, 'code' | 'params' | 'message'>[];

describe('importIssueText', () => {
  it('words every code in English and zh-CN', () => {
    expect([...wordedIssueCodes('en')].sort()).toEqual([...IMPORT_ISSUE_CODES].sort());
    expect([...wordedIssueCodes('zh-CN')].sort()).toEqual([...IMPORT_ISSUE_CODES].sort());
  });

  it('reads in English exactly as the core message, for every sample of every code', () => {
    expect(new Set(issues.map((i) => i.code)).size).toBe(IMPORT_ISSUE_CODES.length);
    for (const issue of issues) expect(importIssueText('en', { ...issue, message: '' }), issue.message).toBe(issue.message);
  });

  it('words every sample in Chinese, not as the English message', () => {
    for (const issue of issues) {
      const zh = importIssueText('zh-CN', { ...issue, message: '' });
      expect(zh, issue.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const dup = issues.find((i) => i.code === 'duplicate-id' && i.params.recordKind === 'site')!;
    expect(importIssueText('zh-CN', dup)).toBe(`站点 "${dup.params.recordId}"：站点标识重复：第 ${dup.params.otherLine} 行已有相同标识`);
    const syntax = issues.find((i) => i.code === 'json-syntax' && i.params.syntax === 'unclosed-string')!;
    expect(importIssueText('zh-CN', syntax)).toBe('JSON 语法错误：此字符串没有结束（缺少 "）');
  });

  it('falls back to the message for an unknown code or params it cannot word', () => {
    const unknown = { code: 'from-the-future', params: {}, message: 'something new' } as unknown as ImportIssue;
    expect(importIssueText('zh-CN', unknown)).toBe('something new');
    expect(importIssueText('zh-CN', { code: 'required', params: { field: 7 }, message: 'hostname is required' })).toBe('hostname is required');
    expect(importIssueText('zh-CN', { code: 'json-syntax', params: { syntax: 'new-kind' }, message: 'JSON syntax: new' })).toBe('JSON syntax: new');
    expect(importIssueText('en', { message: 'old core' } as unknown as ImportIssue)).toBe('old core');
  });
});
