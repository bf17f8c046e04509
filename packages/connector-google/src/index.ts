import type { CreateConnector, SocialConnector } from '@logto/connector-kit';
import { configureGoogleConnector } from './google-connector';

/** The connector Logto loads: Google's real endpoints, always. */
const createGoogleConnector: CreateConnector<SocialConnector> = configureGoogleConnector();

export default createGoogleConnector;

/** For the playground and tests: the same connector against other endpoints (an emulator). */
export { configureGoogleConnector, type GoogleConnectorOptions } from './google-connector';
