import { packageProject } from '../../vitest.shared';

// The browser test starts the playground, six connectors and their emulators: more than the
// default 10 s, well under a minute.
export default packageProject('playground', { testTimeout: 60_000 });
