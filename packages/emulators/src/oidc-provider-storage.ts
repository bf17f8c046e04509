import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

type StoredEntry = { payload: AdapterPayload; expiresAt: number };

/** Models whose entries die with their grant (oidc-provider's own list, memory_adapter.js). */
const GrantBoundModels = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

/**
 * In-memory storage for one emulator's sessions, interactions, grants, codes and tokens.
 *
 * Why not oidc-provider's bundled MemoryAdapter: it prints a "development-only adapter" warning on
 * every start, and this one is owned by the emulator, so it outlives a Provider instance. Key
 * rotation rebuilds the Provider (oidc-provider reads its JWKS once, at construction); sessions,
 * grants and refresh tokens issued before the rotation keep working after it.
 */
export const createEmulatorStorage = (): AdapterFactory => {
  const entries = new Map<string, StoredEntry>();
  const keysByGrantId = new Map<string, Set<string>>();
  const sessionIdByUid = new Map<string, string>();
  const idByUserCode = new Map<string, string>();

  const read = (key: string): AdapterPayload | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) {
      return undefined;
    }
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  return (model: string): Adapter => {
    const keyFor = (id: string) => `${model}:${id}`;

    return {
      async upsert(id, payload, expiresIn) {
        const key = keyFor(id);
        const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
        entries.set(key, { payload, expiresAt });

        if (GrantBoundModels.has(model) && payload.grantId !== undefined) {
          const members = keysByGrantId.get(payload.grantId) ?? new Set<string>();
          members.add(key);
          keysByGrantId.set(payload.grantId, members);
        }
        if (model === 'Session' && payload.uid !== undefined) {
          sessionIdByUid.set(payload.uid, id);
        }
        if (payload.userCode !== undefined) {
          idByUserCode.set(payload.userCode, id);
        }
      },

      async find(id) {
        return read(keyFor(id));
      },

      async findByUid(uid) {
        const id = sessionIdByUid.get(uid);
        return id === undefined ? undefined : read(keyFor(id));
      },

      async findByUserCode(userCode) {
        const id = idByUserCode.get(userCode);
        return id === undefined ? undefined : read(keyFor(id));
      },

      async consume(id) {
        const payload = read(keyFor(id));
        if (payload !== undefined) {
          payload.consumed = Math.floor(Date.now() / 1000);
        }
      },

      async destroy(id) {
        entries.delete(keyFor(id));
      },

      // Called on authorization code reuse among others (RFC 6749 §4.1.2: tokens issued from a
      // replayed code SHOULD be revoked).
      async revokeByGrantId(grantId) {
        for (const key of keysByGrantId.get(grantId) ?? []) {
          entries.delete(key);
        }
        keysByGrantId.delete(grantId);
      },
    };
  };
};
