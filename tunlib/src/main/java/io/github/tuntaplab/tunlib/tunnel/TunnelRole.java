package io.github.tuntaplab.tunlib.tunnel;

/**
 * Which end of the tunnel this is. A client knows its peer; a server learns it from the first
 * packet that passes its checks (and follows it when it moves, as a roaming client would). In the
 * AEAD format the role also picks the direction byte, which keeps the two ends' nonces apart.
 */
public enum TunnelRole {
  CLIENT,
  SERVER
}
