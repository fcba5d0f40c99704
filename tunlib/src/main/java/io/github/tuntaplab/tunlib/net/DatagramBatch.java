package io.github.tuntaplab.tunlib.net;

import io.github.tuntaplab.tunlib.internal.MessageVector;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Room for up to {@link #capacity()} datagrams of at most {@link #slotSize()} bytes each, sent or
 * received by {@link UdpSocket} in one system call ({@code sendmmsg}/{@code recvmmsg}). The slots
 * are consecutive pieces of one direct buffer, allocated once: a tunnel moving a million packets a
 * second allocates nothing per packet. Not thread-safe: one batch per thread.
 */
public final class DatagramBatch implements AutoCloseable {
  final MessageVector vector;

  public DatagramBatch(int capacity, int slotSize) {
    this.vector = new MessageVector(capacity, slotSize);
  }

  public int capacity() {
    return vector.capacity();
  }

  public int slotSize() {
    return vector.slotSize();
  }

  /** The buffer behind every slot: slot {@code i} is {@code [i * slotSize(), (i + 1) * slotSize())}. */
  public ByteBuffer buffer() {
    return vector.data();
  }

  /** The offset of slot {@code i} in {@link #buffer()}. */
  public int offset(int i) {
    return i * vector.slotSize();
  }

  /** Sets how many bytes of slot {@code i}, from its start, the next send takes. */
  public void setLength(int i, int length) {
    vector.setLength(i, length);
  }

  /** The length of the datagram the last receive put into slot {@code i}. */
  public int length(int i) {
    return vector.receivedLength(i);
  }

  /**
   * For a socket that {@linkplain UdpSocket#receiveJoined receives joined runs}: the size of each
   * datagram of the run the last receive put into slot {@code i} (the last may be shorter), or 0
   * when the slot holds one datagram.
   */
  public int segmentSize(int i) {
    return vector.receivedSegmentSize(i);
  }

  /** Who sent the datagram the last receive put into slot {@code i}. */
  public InetSocketAddress sender(int i) {
    return vector.source(i);
  }

  /** Whether {@code address} sent the datagram in slot {@code i} (no allocation). */
  public boolean isFrom(int i, InetSocketAddress address) {
    return vector.isFrom(i, address, true);
  }

  /** Whether the datagram in slot {@code i} came from {@code address}'s IP address, from any port. */
  public boolean isFromHost(int i, InetSocketAddress address) {
    return vector.isFrom(i, address, false);
  }

  @Override
  public void close() {
    vector.close();
  }
}
