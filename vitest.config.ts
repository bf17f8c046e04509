import { defineConfig } from 'vitest/config';

// One root configuration; each package has a tiny `defineProject` of its own.
export default defineConfig({
  test: {
    projects: ['packages/*'],
  },
});
