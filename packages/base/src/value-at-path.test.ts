import { describe, expect, it } from 'vitest';
import { valueAtPath } from './value-at-path';

describe('valueAtPath', () => {
  it('reads nested own properties', () => {
    expect(valueAtPath({ data: { user: { id: 7 } } }, 'data.user.id')).toBe(7);
    expect(valueAtPath({ a: 1 }, 'a.b')).toBeUndefined();
    expect(valueAtPath(null, 'a')).toBeUndefined();
  });

  it('never reads through the prototype chain', () => {
    expect(valueAtPath({}, '__proto__')).toBeUndefined();
    expect(valueAtPath({}, 'constructor.name')).toBeUndefined();
    expect(valueAtPath({ a: {} }, 'a.toString')).toBeUndefined();
  });
});
