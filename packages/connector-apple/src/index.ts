import type { CreateConnector, SocialConnector } from '@logto/connector-kit';
import { configureAppleConnector } from './apple-connector';

/** The connector Logto loads: Apple's real endpoints, always. */
const createAppleConnector: CreateConnector<SocialConnector> = configureAppleConnector();

export default createAppleConnector;

/** For the playground and tests: the same connector against other endpoints (an emulator). */
export { type AppleConnectorOptions, configureAppleConnector } from './apple-connector';
