package io.github.tuntaplab.tunlib.text;

import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.Layer;
import io.github.tuntaplab.tunlib.packet.LinkType;
import java.util.List;

/**
 * A dissection as one line of JSON (the {@code tunlab fields} format, DESIGN §2): frame number,
 * link type, interface name, then the layers with their fields and sub-fields, every one with its
 * offset and length in the frame. Numbers are JSON numbers; addresses, names and bytes (as
 * colon-separated hex) are strings. Layers carry {@code malformed} and {@code truncated}: the
 * reason, or null.
 */
public final class FieldsJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private FieldsJson() {}

  /** Appends one packet's line, with its terminating newline, to {@code out}. */
  public static void appendLine(StringBuilder out, long frameNumber, LinkType linkType, String interfaceName,
      Dissection dissection) {
    out.append("{\"frame\":").append(frameNumber)
        .append(",\"linktype\":").append(linkType.value())
        .append(",\"interface\":");
    string(out, interfaceName);
    out.append(",\"layers\":[");
    List<Layer> layers = dissection.layers();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      out.append(i == 0 ? "{" : ",{")
          .append("\"name\":");
      string(out, layer.name());
      out.append(",\"offset\":").append(layer.offset())
          .append(",\"length\":").append(layer.length())
          .append(",\"depth\":").append(layer.depth())
          .append(",\"malformed\":");
      string(out, layer.malformedReason());
      out.append(",\"truncated\":");
      string(out, layer.truncatedReason());
      out.append(",\"fields\":");
      fields(out, layer.fields());
      out.append('}');
    }
    out.append("]}\n");
  }

  private static void fields(StringBuilder out, List<Field> fields) {
    out.append('[');
    for (int i = 0; i < fields.size(); i++) {
      Field field = fields.get(i);
      out.append(i == 0 ? "{" : ",{")
          .append("\"name\":");
      string(out, field.name());
      out.append(",\"offset\":").append(field.offset())
          .append(",\"length\":").append(field.length())
          .append(",\"mask\":").append(field.mask())
          .append(",\"value\":");
      value(out, field.value());
      out.append(",\"text\":");
      string(out, field.text());
      out.append(",\"fields\":");
      fields(out, field.children());
      out.append('}');
    }
    out.append(']');
  }

  private static void value(StringBuilder out, Object value) {
    if (value instanceof Number) {
      out.append(value);
    } else if (value instanceof byte[]) {
      byte[] bytes = (byte[]) value;
      out.append('"');
      for (int i = 0; i < bytes.length; i++) {
        if (i > 0) {
          out.append(':');
        }
        out.append(HEX[(bytes[i] >>> 4) & 0xf]).append(HEX[bytes[i] & 0xf]);
      }
      out.append('"');
    } else {
      string(out, value == null ? null : value.toString());
    }
  }

  /** A JSON string (RFC 8259 escaping), or {@code null}. */
  static void string(StringBuilder out, String text) {
    if (text == null) {
      out.append("null");
      return;
    }
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >>> 4]).append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }
}
