/**
 * The user-space "other end of the wire" behind a TUN or a TAP: pure reply logic, no device I/O.
 *
 * <p>A read-answer-write loop over any device that reads and writes one frame into a
 * {@link java.nio.ByteBuffer}:
 *
 * <pre>{@code
 * Responder responder = Responder.forTap(mac, List.of(InetAddress.getByName("198.19.0.2"),
 *     InetAddress.getByName("2001:db8:19::2")));
 * ByteBuffer request = ByteBuffer.allocateDirect(65_536);
 * ByteBuffer reply = ByteBuffer.allocateDirect(65_536);
 * while (true) {
 *   request.clear();
 *   tap.read(request);            // fills request, then flips it
 *   int length = responder.respond(request, reply);
 *   if (length > 0) {
 *     tap.write(reply.clear().limit(length));
 *   }
 * }
 * }</pre>
 */
package io.github.tuntaplab.tunlib.responder;
