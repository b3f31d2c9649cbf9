import { describe, expect, it } from 'vitest';
import { openStore } from '../../../../src-main/core/store/database';
import { TokenRepository } from '../../../../src-main/core/store/token-repository';

describe('serve-mode tokens', () => {
  it('issues one token per role, stores only hashes, and verifies them', () => {
    const db = openStore(':memory:');
    const tokens = new TokenRepository(db);
    expect(tokens.isEmpty()).toBe(true);
    const issued = tokens.rotate();
    expect(issued.map((t) => t.role)).toEqual(['viewer', 'operator', 'admin']);
    const stored = JSON.stringify(db.prepare('SELECT * FROM tokens').all());
    for (const t of issued) {
      expect(stored).not.toContain(t.token);
      expect(tokens.verify(t.token)).toEqual({ actor: t.role, role: t.role });
    }
    expect(tokens.verify('x'.repeat(43))).toBeNull();
    expect(tokens.verify('')).toBeNull();
    db.close();
  });

  it('revokes the old tokens on rotation', () => {
    const db = openStore(':memory:');
    const tokens = new TokenRepository(db);
    const first = tokens.rotate();
    const second = tokens.rotate();
    expect(tokens.verify(first[0].token)).toBeNull();
    expect(tokens.verify(second[0].token)?.role).toBe('viewer');
    db.close();
  });
});
