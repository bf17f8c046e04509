import { packageProject } from '../../vitest.shared';

export default packageProject('connector-http-email');
