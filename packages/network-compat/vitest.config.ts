import { packageProject } from '../../vitest.shared';

export default packageProject('network-compat');
