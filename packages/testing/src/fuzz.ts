/**
 * Property-based tests every connector runs in a few lines: arbitrary configs, arbitrary
 * `getUserInfo` / `sendMessage` input, and (social connectors) arbitrary provider answers served
 * by msw at the provider's URLs. The invariant, always: the connector either succeeds or throws a
 * `ConnectorError` (Logto turns anything else into a 500), and no secret it holds appears in the
 * error's message or data.
 *
 * One module per job: the arbitraries, the invariant and run parameters, the fuzzed provider
 * (msw), and the social and email properties. This list is the public part.
 */
export {
  arbitraryEmailData,
  arbitraryTemplates,
  configNear,
  fuzzTokens,
  hostileValue,
  type ProviderAnswer,
  providerAnswer,
} from './fuzz-arbitraries';
export { describeEmailConnectorFuzz, type EmailFuzzOptions } from './fuzz-email';
export { expectOnlySafeConnectorErrors, type FuzzBudget } from './fuzz-invariant';
export { type FuzzAnswer, useFuzzedProvider } from './fuzz-provider';
export { describeSocialConnectorFuzz, type SocialFuzzOptions, signInThrough } from './fuzz-social';
