package io.github.tuntaplab.tunlib.text;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * tcpdump's relative TCP sequence numbers: the first ACK-carrying segment of a conversation (or any
 * SYN) records the initial numbers and is printed absolute; later ones are printed relative to them.
 */
final class TcpSequences {
  private final Map<Key, long[]> conversations = new HashMap<>();

  private record Key(byte[] addresses, int ports) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Key k && k.ports == ports && Arrays.equals(k.addresses, addresses);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(addresses) * 31 + ports;
    }
  }

  /** The sequence and acknowledgement numbers to print, as {@code {seq, ack}}. */
  long[] relative(byte[] d, int ip, int version, int sourcePort, int destinationPort, long seq, long ack,
      boolean syn) {
    int size = version == 4 ? 4 : 16;
    int source = ip + (version == 4 ? 12 : 8);
    int destination = source + size;
    int order = Arrays.compareUnsigned(d, source, source + size, d, destination, destination + size);
    boolean reversed = order > 0 || (order == 0 && sourcePort > destinationPort);
    byte[] addresses = new byte[2 * size];
    System.arraycopy(d, reversed ? destination : source, addresses, 0, size);
    System.arraycopy(d, reversed ? source : destination, addresses, size, size);
    Key key = new Key(addresses, reversed ? destinationPort << 16 | sourcePort : sourcePort << 16 | destinationPort);
    long[] initial = conversations.get(key);
    if (initial == null || syn) {
      // tcpdump keeps {seq, ack} of the normalised direction.
      conversations.put(key, reversed ? new long[] {ack - 1, seq} : new long[] {seq, ack - 1});
      return new long[] {seq, ack};
    }
    return reversed ? new long[] {seq - initial[1], ack - initial[0]} : new long[] {seq - initial[0], ack - initial[1]};
  }
}
