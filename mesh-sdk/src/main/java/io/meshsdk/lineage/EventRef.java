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
  /** Requires the parts; refuses separators that would make the header ambiguous. */
  public EventRef {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(topic, "topic");
    for (String part : new String[] {type, id, topic}) {
      if (part.indexOf(';') >= 0 || part.indexOf(',') >= 0) {
        throw new IllegalArgumentException(
            "event reference parts must not contain ';' or ',': " + part);
      }
    }
  }

  /**
   * The reference as written in {@link MeshHeaders#PARENTS}: {@code
   * type;id;topic;partition;offset}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return type + ';' + id + ';' + topic + ';' + partition + ';' + offset;
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
      return new EventRef(p[0], p[1], p[2], Integer.parseInt(p[3]), Long.parseLong(p[4]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an event reference: " + text, e);
    }
  }
}
