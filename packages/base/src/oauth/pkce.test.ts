import { describe, expect, it } from 'vitest';
import { pkceModeGuard, pkceWanted } from './pkce';

describe('PKCE mode', () => {
  it('defaults to auto and reads the booleans stored before as always and never', () => {
    expect(pkceModeGuard.parse(undefined)).toBe('auto');
    expect(pkceModeGuard.parse(true)).toBe('always');
    expect(pkceModeGuard.parse(false)).toBe('never');
    expect(pkceModeGuard.safeParse('sometimes').success).toBe(false);
  });

  it('auto follows code_challenge_methods_supported, and sends S256 without a list', () => {
    expect(pkceWanted('auto', ['S256'])).toBe(true);
    expect(pkceWanted('auto', ['plain', 'S256'])).toBe(true);
    expect(pkceWanted('auto', undefined)).toBe(true);
    expect(pkceWanted('auto', ['plain'])).toBe(false);
    expect(pkceWanted('auto', [])).toBe(false);
  });

  it('always and never ignore the discovery document', () => {
    expect(pkceWanted('always', ['plain'])).toBe(true);
    expect(pkceWanted('never', ['S256'])).toBe(false);
  });
});
