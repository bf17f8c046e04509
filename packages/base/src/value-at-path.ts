/**
 * Reads `data.user.id` style paths, in an email payload (`{{user.name}}`) or a provider's profile
 * (the OAuth 2.0 connector's `profileMap`). Own properties only: a path through `__proto__` or
 * `constructor` reads nothing, never a prototype.
 */
export const valueAtPath = (object: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (current, key) =>
        current && typeof current === 'object' && Object.hasOwn(current, key)
          ? (current as Record<string, unknown>)[key]
          : undefined,
      object,
    );
