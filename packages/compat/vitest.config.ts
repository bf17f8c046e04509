import { packageProject } from '../../vitest.shared';

// Packing and importing every connector with two Logto CLIs takes a while on 2 cores.
export default packageProject('compat', { testTimeout: 120_000 });
