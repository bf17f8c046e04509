import { packageProject } from '../../vitest.shared';

// The fixtures run the real `changeset version` and `pnpm`: slower than a unit test.
export default packageProject('release', { testTimeout: 60_000 });
