package io.github.tuntaplab.tunlib.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The netlink encoder and decoder against each other, and the decoder against damaged input. */
class NetlinkCodecTest {
  private static final int HEADER = 4;

  @Test
  void whatTheEncoderWritesTheDecoderReadsBackAlignedAndNested() throws Exception {
    NetlinkRequest request = new NetlinkRequest(24, RtNetlink.NLM_F_ACK).u32(0x01020304)
        .attributeU8(1, 7)
        .attributeString(2, "tl-eth0")
        .attributeAddress(3, InetAddress.getByName("2001:db8::1"))
        .beginNested(4).attributeU32(1, 1500).beginNested(2).attributeString(1, "veth").endNested().endNested()
        .attributeU32(5, -2);
    ByteBuffer message = request.finish(42);
    assertThat(message.getInt(0)).as("nlmsg_len").isEqualTo(message.limit());
    assertThat(message.limit() % 4).isZero();
    assertThat(message.getShort(4)).isEqualTo((short) 24);
    assertThat(message.getShort(6)).isEqualTo((short) (RtNetlink.NLM_F_ACK | RtNetlink.NLM_F_REQUEST));
    assertThat(message.getInt(8)).as("sequence").isEqualTo(42);
    byte[] payload = Arrays.copyOfRange(message.array(), NetlinkRequest.HEADER, message.limit());
    NetlinkMessage decoded = new NetlinkMessage(24, 0, payload);
    assertThat(decoded.body().getInt(0)).isEqualTo(0x01020304);
    assertThat(message.getShort(NetlinkRequest.HEADER + HEADER)).as("a one-byte attribute is 5 long").isEqualTo((short) 5);
    NetlinkAttributes attributes = decoded.attributes(4);
    assertThat(attributes.unsigned(1)).hasValue(7);
    assertThat(attributes.string(2)).contains("tl-eth0");
    assertThat(attributes.address(3)).contains(InetAddress.getByName("2001:db8::1"));
    assertThat(attributes.nested(4).u32(1)).hasValue(1500);
    assertThat(attributes.nested(4).nested(2).string(1)).contains("veth");
    assertThat(attributes.unsigned(5)).as("unsigned, not -2").hasValue(0xfffffffeL);
    assertThat(attributes.has(6)).isFalse();
    assertThat(attributes.nested(6).has(1)).isFalse();
  }

  @Test
  void aTruncatedMessageKeepsTheAttributesBeforeTheCut() {
    NetlinkRequest request = new NetlinkRequest(16, 0).attributeString(3, "tl-a").attributeU32(4, 1500);
    ByteBuffer message = request.finish(1);
    byte[] payload = Arrays.copyOfRange(message.array(), NetlinkRequest.HEADER, message.limit());
    for (int cut = 0; cut <= payload.length; cut++) {
      NetlinkAttributes attributes = new NetlinkAttributes(payload, 0, cut);
      assertThat(attributes.string(3).isPresent()).as("cut at %d", cut).isEqualTo(cut >= 9);
      assertThat(attributes.u32(4).isPresent()).as("cut at %d", cut).isEqualTo(cut >= payload.length);
    }
  }

  @Property(tries = 2000)
  void randomBytesNeverBreakTheDecoder(@ForAll @Size(max = 64) byte[] bytes) {
    NetlinkAttributes attributes = new NetlinkAttributes(bytes, 0, bytes.length);
    for (int type = 0; type < 8; type++) {
      attributes.unsigned(type);
      attributes.string(type);
      attributes.address(type);
      attributes.longs(type);
      attributes.nested(type).bytes(type);
    }
  }
}
