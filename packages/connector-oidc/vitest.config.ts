import { packageProject } from '../../vitest.shared';

export default packageProject('connector-oidc', { testTimeout: 30_000 });
