import { packageProject } from '../../vitest.shared';

// Scaffolding a template runs its build, typecheck and tests: minutes, not seconds, on 2 cores.
export default packageProject('scripts', { testTimeout: 240_000 });
