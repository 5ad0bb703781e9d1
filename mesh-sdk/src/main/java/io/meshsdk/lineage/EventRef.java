package io.meshsdk.lineage;

import java.util.Objects;

/**
 * A reference to one event: its type, id, and where it is stored.
 *
 * <p>Thread-safety: immutable.
 *
 * @param type the event type {@code {domain}.{name}.v{major}}
 * @param id the event id ({@code ce_id})
 * @param topic the topic
 * @param partition the partition
 * @param offset the offset
 */
public record EventRef(String type, String id, String topic, int partition, long offset) {
  /**
   * Requires the parts. The type and topic may not hold the header's separators ({@code ;} and
   * {@code ,}); the id may hold anything (other producers choose their ids), since it is
   * percent-encoded in the header form.
   */
  public EventRef {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(topic, "topic");
    for (String part : new String[] {type, topic}) {
      if (part.indexOf(';') >= 0 || part.indexOf(',') >= 0) {
        throw new IllegalArgumentException(
            "event types and topics must not contain ';' or ',': " + part);
      }
    }
  }

  /**
   * A reference to a record of a system outside the mesh, such as a legacy topic a bridge reads
   * ({@code io.meshsdk.bridge.MeshBridge}): its id is {@code {topic}-{partition}@{offset}}, its
   * type names the source's system and format (for instance {@code legacy.orders.json}).
   *
   * @param sourceType what the source is, without {@code ;} or {@code ,}
   * @param topic the source topic
   * @param partition the source partition
   * @param offset the source offset
   * @return the reference
   * @throws IllegalArgumentException if the type or topic holds {@code ;} or {@code ,}
   */
  public static EventRef external(String sourceType, String topic, int partition, long offset) {
    Objects.requireNonNull(topic, "topic");
    return new EventRef(
        sourceType, topic + "-" + partition + "@" + offset, topic, partition, offset);
  }

  /**
   * Whether this names a record outside the mesh ({@link #external}): its id is its position.
   *
   * @return true for an external parent
   */
  public boolean isExternal() {
    return id.equals(topic + "-" + partition + "@" + offset);
  }

  /**
   * The reference as written in {@link MeshHeaders#PARENTS}: {@code
   * type;id;topic;partition;offset}, with {@code %}, {@code ;} and {@code ,} in the id written as
   * {@code %25}, {@code %3B} and {@code %2C}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return type + ';' + encode(id) + ';' + topic + ';' + partition + ';' + offset;
  }

  private static String encode(String id) {
    if (id.indexOf('%') < 0 && id.indexOf(';') < 0 && id.indexOf(',') < 0) {
      return id; // the common case, UUIDs: nothing to escape
    }
    return id.replace("%", "%25").replace(";", "%3B").replace(",", "%2C");
  }

  private static String decode(String id) {
    if (id.indexOf('%') < 0) {
      return id;
    }
    StringBuilder out = new StringBuilder(id.length());
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '%' && i + 2 < id.length()) {
        String code = id.substring(i + 1, i + 3).toUpperCase(java.util.Locale.ROOT);
        char decoded =
            switch (code) {
              case "25" -> '%';
              case "3B" -> ';';
              case "2C" -> ',';
              default -> 0;
            };
        if (decoded != 0) {
          out.append(decoded);
          i += 2;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  /**
   * Parses {@link #toString()}'s form.
   *
   * @param text the text
   * @return the reference
   * @throws IllegalArgumentException if the text is not of that form
   */
  public static EventRef parse(String text) {
    String[] p = text.split(";", -1);
    if (p.length != 5) {
      throw new IllegalArgumentException("not an event reference: " + text);
    }
    try {
      return new EventRef(p[0], decode(p[1]), p[2], Integer.parseInt(p[3]), Long.parseLong(p[4]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an event reference: " + text, e);
    }
  }
}
