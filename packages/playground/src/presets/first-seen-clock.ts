/**
 * For an emulator that keeps no precise time of arrival: the time the playground first saw a
 * message (by object, or by id for an emulator that hands out copies). The playground looks right
 * after each of its own sends, so those are exact; a message sent from elsewhere (a Logto pointed
 * at the emulator) is dated when the inbox is next opened.
 */
export const createFirstSeenClock = (now: () => number = Date.now) => {
  const byObject = new WeakMap<object, Date>();
  const byId = new Map<string, Date>();
  return (message: object | string): Date => {
    const known = typeof message === 'string' ? byId.get(message) : byObject.get(message);
    if (known) {
      return known;
    }
    const seen = new Date(now());
    if (typeof message === 'string') {
      byId.set(message, seen);
    } else {
      byObject.set(message, seen);
    }
    return seen;
  };
};
