/**
 * The encapsulating tunnel: packet A read from a TUN (or TAP) travels as the UDP payload of
 * packet B to the peer, which writes it into its own device — the heart of every VPN.
 *
 * <ul>
 *   <li>{@link io.github.tuntaplab.tunlib.tunnel.Encapsulation}: plain IP-in-UDP (socat's TUN
 *       tunnel), AEAD with ChaCha20-Poly1305 under a {@link io.github.tuntaplab.tunlib.tunnel.TunnelKey},
 *       or VXLAN for a TAP (the kernel's {@code vxlan} device);
 *   <li>{@link io.github.tuntaplab.tunlib.tunnel.TunnelConfig}: an immutable description of one
 *       endpoint; {@link io.github.tuntaplab.tunlib.tunnel.TunnelMtu} its MTU arithmetic;
 *   <li>{@link io.github.tuntaplab.tunlib.tunnel.Tunnel}: the running endpoint and its
 *       {@link io.github.tuntaplab.tunlib.tunnel.TunnelStats}.
 * </ul>
 *
 * Wire formats, MTU arithmetic, security properties and limits: docs/tunnel.md.
 */
package io.github.tuntaplab.tunlib.tunnel;
