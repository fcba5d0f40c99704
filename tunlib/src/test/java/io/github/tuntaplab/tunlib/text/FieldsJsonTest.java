package io.github.tuntaplab.tunlib.text;

import io.github.tuntaplab.tunlib.testsupport.Json;
import static io.github.tuntaplab.tunlib.packet.TestPackets.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.Layer;
import io.github.tuntaplab.tunlib.packet.LinkType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldsJsonTest {
  private static String line(LinkType linkType, String interfaceName, byte[] frame, int captured) {
    Dissection d = Dissector.standard().dissect(linkType, frame, 0, captured, frame.length);
    StringBuilder out = new StringBuilder();
    FieldsJson.appendLine(out, 1, linkType, interfaceName, d);
    return out.toString();
  }

  @Test
  void anArpFrameRendersInTheDesignShape() {
    byte[] frame = ethernet(BROADCAST, MAC_A, 0x0806, arpRequest(MAC_A, "198.19.0.1", "198.19.0.2"));
    String line = line(LinkType.ETHERNET, "tl-tap0", frame, frame.length);
    // Verbatim from DESIGN §2.
    assertThat(line).startsWith("{\"frame\":1,\"linktype\":1,\"interface\":\"tl-tap0\",\"layers\":[{\"name\":\"eth\","
        + "\"offset\":0,\"length\":14,\"depth\":0,\"malformed\":null,");
    assertThat(line).contains("\"fields\":[{\"name\":\"eth.dst\",\"offset\":0,\"length\":6,\"mask\":null,"
        + "\"value\":\"ff:ff:ff:ff:ff:ff\",\"text\":\"Destination: ff:ff:ff:ff:ff:ff\",\"fields\":[]}");
    assertThat(line).endsWith("]}\n").containsOnlyOnce("\n");
  }

  @SuppressWarnings("unchecked")
  @Test
  void everyFieldOfTheTreeAppearsWithItsRangeAndNumbersAsNumbers() {
    byte[] frame = ethernet(MAC_B, MAC_A, 0x0800, ipv4(17, "203.0.113.1", "203.0.113.89", udp(50000, 4789,
        vxlan(42, ethernet(MAC_B, MAC_A, 0x0800, ipv4(6, "198.18.0.1", "198.18.0.2",
            tcp(1, 2, 0x02, synOptions(), new byte[0])))))));
    Dissection d = Dissector.standard().dissect(LinkType.ETHERNET, frame, 0, frame.length, frame.length);
    StringBuilder out = new StringBuilder();
    FieldsJson.appendLine(out, 7, LinkType.ETHERNET, null, d);
    Map<String, Object> json = (Map<String, Object>) Json.parse(out.toString().strip());
    assertThat(json).containsEntry("frame", 7L).containsEntry("linktype", 1L).containsEntry("interface", null);
    List<Map<String, Object>> layers = (List<Map<String, Object>>) json.get("layers");
    assertThat(layers).hasSameSizeAs(d.layers());
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = d.layers().get(i);
      assertThat(layers.get(i)).containsEntry("name", layer.name()).containsEntry("offset", (long) layer.offset())
          .containsEntry("length", (long) layer.length()).containsEntry("depth", (long) layer.depth());
      assertSameFields((List<Map<String, Object>>) layers.get(i).get("fields"), layer.fields());
    }
    assertThat(out.toString()).contains("\"name\":\"vxlan.vni\",\"offset\":46,\"length\":3,\"mask\":null,\"value\":42,");
    assertThat(out.toString()).contains("\"name\":\"ip.hdr_len\",\"offset\":14,\"length\":1,\"mask\":15,\"value\":20,");
  }

  @SuppressWarnings("unchecked")
  private static void assertSameFields(List<Map<String, Object>> json, List<Field> fields) {
    assertThat(json).hasSameSizeAs(fields);
    for (int i = 0; i < fields.size(); i++) {
      Field field = fields.get(i);
      assertThat(json.get(i)).containsEntry("name", field.name()).containsEntry("offset", (long) field.offset())
          .containsEntry("length", (long) field.length()).containsEntry("text", field.text());
      if (field.value() instanceof Long) {
        assertThat(json.get(i)).containsEntry("value", field.value());
      }
      assertSameFields((List<Map<String, Object>>) json.get(i).get("fields"), field.children());
    }
  }

  @SuppressWarnings("unchecked")
  @Test
  void stringsAreEscapedAndProblemsReported() {
    byte[] frame = ethernet(MAC_B, MAC_A, 0x0800, ipv4(17, "198.51.100.1", "198.51.100.2", udp(1, 2, new byte[30])));
    String odd = "tl-\"quoted\"\\back\tslash\u0001";
    String line = line(LinkType.ETHERNET, odd, frame, 40);
    Map<String, Object> json = (Map<String, Object>) Json.parse(line.strip());
    assertThat(json).containsEntry("interface", odd);
    List<Map<String, Object>> layers = (List<Map<String, Object>>) json.get("layers");
    assertThat(layers.get(2)).containsEntry("name", "udp").containsEntry("malformed", null)
        .containsEntry("truncated", "the capture kept 6 of the 8 bytes of the UDP header (snapshot length)");
  }
}
