package io.github.tuntaplab.tunlib.packet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkTypeTest {
  @Test
  void knownNumbersMapToTheirConstants() {
    assertThat(LinkType.of(1)).isSameAs(LinkType.ETHERNET);
    assertThat(LinkType.of(101)).isSameAs(LinkType.RAW);
    assertThat(LinkType.RAW.name()).isEqualTo("RAW");
  }

  @Test
  void unknownNumbersStayRepresentable() {
    LinkType odd = LinkType.of(147);
    assertThat(odd.value()).isEqualTo(147);
    assertThat(odd.isKnown()).isFalse();
    assertThat(odd).isEqualTo(LinkType.of(147)).isNotEqualTo(LinkType.ETHERNET);
    assertThat(odd.toString()).isEqualTo("LINKTYPE_147 (147)");
  }
}
