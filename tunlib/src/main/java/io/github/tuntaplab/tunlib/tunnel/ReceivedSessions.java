package io.github.tuntaplab.tunlib.tunnel;

import javax.crypto.SecretKey;

/**
 * The sender sessions an AEAD receiver has authenticated (docs/tunnel.md), each with its derived
 * key and its own replay window. A session enters only with a message whose tag verified, so
 * forgeries cannot fill the table. At most {@link #ACTIVE} are kept: admitting one more retires
 * the least recently used, and the ids of the last {@link #RETIRED} retired sessions are
 * remembered and refused, so a recording of an old session cannot be played in again as new.
 */
final class ReceivedSessions {
  /** Sessions with a live replay window: the peer's current one, and a few it left (a restart). */
  static final int ACTIVE = 4;
  /** Retired session ids remembered. */
  static final int RETIRED = 4096;

  /** One sender session: its id, the key derived for it, and what it has delivered. */
  static final class Session {
    final long id;
    final SecretKey key;
    final ReplayWindow window = new ReplayWindow();
    private long lastUse;

    private Session(long id, SecretKey key) {
      this.id = id;
      this.key = key;
    }
  }

  private final Session[] active = new Session[ACTIVE];
  private final long[] retired = new long[RETIRED];
  private int retiredCount;
  private long clock;

  /** The active session {@code id}, or null. */
  synchronized Session find(long id) {
    for (Session session : active) {
      if (session != null && session.id == id) {
        session.lastUse = ++clock;
        return session;
      }
    }
    return null;
  }

  /** Whether {@code id} is a session this receiver retired. */
  synchronized boolean isRetired(long id) {
    for (int i = Math.min(retiredCount, RETIRED) - 1; i >= 0; i--) {
      if (retired[i] == id) {
        return true;
      }
    }
    return false;
  }

  /**
   * Makes {@code id} active with {@code key} (call only once a message of it has authenticated):
   * the session, or null when {@code id} was retired.
   */
  synchronized Session admit(long id, SecretKey key) {
    Session known = find(id);
    if (known != null || isRetired(id)) {
      return known;
    }
    int slot = 0;
    for (int i = 0; i < ACTIVE; i++) {
      if (active[i] == null) {
        slot = i;
        break;
      }
      if (active[i].lastUse < active[slot].lastUse) {
        slot = i;
      }
    }
    if (active[slot] != null) {
      retired[retiredCount++ % RETIRED] = active[slot].id;
    }
    Session session = new Session(id, key);
    session.lastUse = ++clock;
    active[slot] = session;
    return session;
  }
}
