package io.github.tuntaplab.tunlib.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rule's own edges: values are taken out where they stand alone, names pass, short words are not looked at. */
class EnglishWordsTest {
  @Test
  void aValueIsTakenOutOnlyWhereItStandsAlone() {
    // "arp" inside "sharp" is no value: taking it out would leave "sh", too short to be caught.
    assertThat(EnglishWords.in("过滤器 arp 与 sharp 不同", List.of("arp"), EnglishWords.NAMES)).containsExactly("sharp");
    assertThat(EnglishWords.in("在 (arp) 上", List.of("(arp)"), EnglishWords.NAMES)).isEmpty();
    // Longest first: the line goes whole, the shorter value inside it does not cut it up.
    assertThat(EnglishWords.in("看到：echo request id 7", List.of("echo", "echo request id 7"), EnglishWords.NAMES))
        .isEmpty();
  }

  @Test
  void namesPassAndShortOrJoinedWordsAreNotLookedAt() {
    assertThat(EnglishWords.in("TUN 上的 ICMP 与 tl-eth0 的 ip.hdr_len，ok", List.of(), EnglishWords.NAMES)).isEmpty();
    assertThat(EnglishWords.in("按 Enter 键", List.of(), EnglishWords.NAMES)).containsExactly("Enter");
    assertThat(EnglishWords.in("按 Enter 键", List.of(), Set.of("Enter"))).isEmpty();
  }
}
