package io.github.tuntaplab.tunlib.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict RFC 8259 reader for tests, for our own JSON (tunlab fields) and oracles' ({@code ip -j}):
 * objects keep their key order; numbers become Long or Double.
 */
public final class Json {
  private final String text;
  private int at;

  private Json(String text) {
    this.text = text;
  }

  public static Object parse(String text) {
    String trimmed = text.strip();
    Json json = new Json(trimmed);
    Object value = json.value();
    if (json.at != trimmed.length()) {
      throw new IllegalArgumentException("trailing text at " + json.at);
    }
    return value;
  }

  /** An {@code ip -j} listing: a JSON array of objects, or nothing at all. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> parseArray(String text) {
    return text.isBlank() ? List.of() : (List<Map<String, Object>>) parse(text);
  }

  /** A copy of {@code value} without the keys in {@code drop}, at any depth. */
  @SuppressWarnings("unchecked")
  public static Object without(Object value, Set<String> drop) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      ((Map<String, Object>) map).forEach((k, v) -> {
        if (!drop.contains(k)) {
          copy.put(k, without(v, drop));
        }
      });
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(without(v, drop)));
      return copy;
    }
    return value;
  }

  private Object value() {
    char c = peek();
    switch (c) {
      case '{': return object();
      case '[': return array();
      case '"': return string();
      case 'n': return literal("null", null);
      case 't': return literal("true", Boolean.TRUE);
      case 'f': return literal("false", Boolean.FALSE);
      default: return number();
    }
  }

  private Map<String, Object> object() {
    Map<String, Object> map = new LinkedHashMap<>();
    expect('{');
    if (peek() == '}') {
      at++;
      return map;
    }
    do {
      String key = string();
      expect(':');
      if (map.put(key, value()) != null) {
        throw new IllegalArgumentException("duplicate key " + key);
      }
    } while (next() == ',');
    at--;
    expect('}');
    return map;
  }

  private List<Object> array() {
    List<Object> list = new ArrayList<>();
    expect('[');
    if (peek() == ']') {
      at++;
      return list;
    }
    do {
      list.add(value());
    } while (next() == ',');
    at--;
    expect(']');
    return list;
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    for (char c = next(); c != '"'; c = next()) {
      if (c < 0x20) {
        throw new IllegalArgumentException("raw control character at " + at);
      }
      if (c == '\\') {
        char e = next();
        switch (e) {
          case '"': case '\\': case '/': out.append(e); break;
          case 'n': out.append('\n'); break;
          case 'r': out.append('\r'); break;
          case 't': out.append('\t'); break;
          case 'b': out.append('\b'); break;
          case 'f': out.append('\f'); break;
          case 'u': out.append((char) Integer.parseInt(text.substring(at, at + 4), 16)); at += 4; break;
          default: throw new IllegalArgumentException("bad escape at " + at);
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private Object number() {
    int start = at;
    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    String number = text.substring(start, at);
    if (number.isEmpty()) {
      throw new IllegalArgumentException("unexpected character at " + at);
    }
    return number.matches("-?(0|[1-9][0-9]*)") ? (Object) Long.parseLong(number) : (Object) Double.parseDouble(number);
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, at)) {
      throw new IllegalArgumentException("unexpected text at " + at);
    }
    at += word.length();
    return value;
  }

  private char peek() {
    if (at >= text.length()) {
      throw new IllegalArgumentException("unexpected end");
    }
    return text.charAt(at);
  }

  private char next() {
    char c = peek();
    at++;
    return c;
  }

  private void expect(char c) {
    if (next() != c) {
      throw new IllegalArgumentException("expected " + c + " at " + (at - 1));
    }
  }
}
