import { defineProject } from 'vitest/config';

/** The per-package vitest project: tests sit beside the code as `src/**\/*.test.ts`. */
export const packageProject = (
  name: string,
  overrides: { testTimeout?: number; setupFiles?: string[] } = {},
) =>
  defineProject({
    test: {
      name,
      include: ['src/**/*.test.ts'],
      environment: 'node',
      // Generous for a loaded 2-core CI runner; tests that must be fast assert their own durations.
      testTimeout: overrides.testTimeout ?? 20_000,
      // Hooks start real servers and generate RSA keys; give them room on a busy 2-core runner.
      hookTimeout: 30_000,
      setupFiles: overrides.setupFiles ?? [],
      restoreMocks: true,
    },
  });
