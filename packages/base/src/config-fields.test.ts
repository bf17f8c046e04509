import { describe, expect, it } from 'vitest';
import { blankAsUnset, numberFromText, urlConfigField } from './config-fields';

describe('urlConfigField', () => {
  const field = urlConfigField();

  it.each([
    'github.example.com',
    '://x',
    'https://exa mple.com',
    '<script>',
    'ftp://example.com',
    'http://example.com',
    'https://user:pass@example.com',
    '',
  ])('refuses %j with an issue, never an exception', (value) => {
    expect(field.safeParse(value).success).toBe(false);
  });

  it('accepts https anywhere, http on loopback, and trims', () => {
    expect(field.parse(' https://git.example.com/ ')).toBe('https://git.example.com/');
    expect(field.parse('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(urlConfigField({ allowLoopbackHttp: false }).safeParse('http://127.0.0.1').success).toBe(
      false,
    );
    expect(urlConfigField({ allowHttp: true }).parse('http://sms.internal/send')).toBe(
      'http://sms.internal/send',
    );
  });
});

describe('numberFromText', () => {
  it('converts numeric text, leaves blanks unset and every other value as it is', () => {
    expect(numberFromText(' 10000 ')).toBe(10_000);
    expect(numberFromText('')).toBeUndefined();
    expect(numberFromText('10s')).toBe('10s');
    const hostile = {
      toString: () => {
        throw new Error('never coerced');
      },
    };
    expect(numberFromText(hostile)).toBe(hostile);
  });
});

describe('blankAsUnset', () => {
  it('reads blank text as unset and leaves every other value as it is', () => {
    expect(blankAsUnset('  ')).toBeUndefined();
    expect(blankAsUnset('')).toBeUndefined();
    expect(blankAsUnset(' x ')).toBe(' x ');
    expect(blankAsUnset(0)).toBe(0);
  });
});
