package io.meshsdk.connect.internal;

import io.meshsdk.lineage.EventRef;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;

/**
 * A source record's position, carried from {@code MeshSourcePosition} to the converter in headers
 * the converter removes: the connector, the task, the source partition and offset as text.
 */
public final class Positions {
  static final String CONNECTOR = "mesh.connect.connector";
  static final String TASK = "mesh.connect.task";
  static final String PARTITION = "mesh.connect.partition";
  static final String OFFSET = "mesh.connect.offset";
  private static final String THREAD_PREFIX = "task-thread-";

  private Positions() {}

  /** Where a record came from. */
  public record Position(String connector, int task, String partition, String offset) {
    /**
     * The product event's parent: type {@code sourceType} (default {@code connect.{connector}}), id
     * {@code {partition}@{offset}}, the connector as topic, the task as partition, and the offset
     * when it is one number.
     */
    public EventRef parent(@Nullable String sourceType) {
      String name = clean(connector);
      return new EventRef(
          sourceType != null ? sourceType : "connect." + name,
          partition + "@" + offset,
          name,
          task,
          number(offset));
    }

    /** Puts the position back as headers (on a dead letter). */
    void addTo(Headers headers) {
      headers.add(CONNECTOR, connector.getBytes(StandardCharsets.UTF_8));
      headers.add(TASK, Integer.toString(task).getBytes(StandardCharsets.UTF_8));
      headers.add(PARTITION, partition.getBytes(StandardCharsets.UTF_8));
      headers.add(OFFSET, offset.getBytes(StandardCharsets.UTF_8));
    }

    /** The text an event id is derived from. */
    String key() {
      return connector + "|" + partition + "|" + offset;
    }
  }

  /** Adds the position headers to a source record (the transform's work). */
  public static void stamp(SourceRecord r, @Nullable String connector, String threadName) {
    String name = connector;
    int task = -1;
    if (threadName.startsWith(THREAD_PREFIX)) {
      String id = threadName.substring(THREAD_PREFIX.length());
      int dash = id.lastIndexOf('-');
      if (dash > 0) {
        try {
          task = Integer.parseInt(id.substring(dash + 1));
          if (name == null) {
            name = id.substring(0, dash);
          }
        } catch (NumberFormatException e) {
          // not Connect's naming: the task stays unknown
        }
      }
    }
    r.headers().addString(CONNECTOR, name == null ? "unknown" : name);
    r.headers().addString(TASK, Integer.toString(task));
    r.headers().addString(PARTITION, text(r.sourcePartition()));
    r.headers().addString(OFFSET, text(r.sourceOffset()));
  }

  /** Reads and removes the position headers; null when the transform did not run. */
  public static @Nullable Position take(@Nullable Headers headers) {
    if (headers == null) {
      return null;
    }
    String connector = last(headers, CONNECTOR);
    String task = last(headers, TASK);
    String partition = last(headers, PARTITION);
    String offset = last(headers, OFFSET);
    headers.remove(CONNECTOR);
    headers.remove(TASK);
    headers.remove(PARTITION);
    headers.remove(OFFSET);
    if (connector == null || partition == null || offset == null) {
      return null;
    }
    int t;
    try {
      t = task == null ? -1 : Integer.parseInt(task);
    } catch (NumberFormatException e) {
      t = -1;
    }
    return new Position(connector, t, partition, offset);
  }

  private static @Nullable String last(Headers headers, String key) {
    Header h = headers.lastHeader(key);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /**
   * A source partition or offset as text: {@code key=value} pairs in key order, {@code &}-joined.
   */
  static String text(@Nullable Map<String, ?> map) {
    if (map == null || map.isEmpty()) {
      return "";
    }
    return new TreeMap<>(map)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("&"));
  }

  /** The offset when it is one number ({@code position=42}), else -1. */
  private static long number(String offset) {
    if (offset.isEmpty() || offset.indexOf('&') >= 0) {
      return -1;
    }
    int eq = offset.indexOf('=');
    try {
      return Long.parseLong(offset.substring(eq + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A name EventRef accepts as type and topic part. */
  static String clean(String s) {
    return s.replace(';', '_').replace(',', '_');
  }
}
