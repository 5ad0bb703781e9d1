package io.meshsdk.testkit;

import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.Lineage;
import io.meshsdk.lineage.MeshHeaders;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

/** Reads raw records as the testkit shows them: headers as text, lineage, dead letters. */
final class RecordViews {
  private RecordViews() {}

  static Map<String, String> headers(ConsumerRecord<byte[], byte[]> r) {
    Map<String, String> map = new LinkedHashMap<>();
    for (Header h : r.headers()) {
      map.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
    }
    return map;
  }

  static @Nullable String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  static Lineage lineage(ConsumerRecord<byte[], byte[]> r) {
    String type = header(r, MeshHeaders.TYPE);
    String id = header(r, MeshHeaders.ID);
    String parents = header(r, MeshHeaders.PARENTS);
    String dropped = header(r, MeshHeaders.PARENTS_DROPPED);
    return new Lineage(
        new EventRef(
            type == null ? "unknown" : type,
            id == null ? "unknown" : id,
            r.topic(),
            r.partition(),
            r.offset()),
        parents == null ? List.of() : Lineage.parseParents(parents),
        dropped == null ? 0 : parseInt(dropped, 0));
  }

  static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> r) {
    String origin = header(r, MeshHeaders.DLQ_TOPIC);
    String attempts = header(r, MeshHeaders.DLQ_ATTEMPTS);
    String reason = header(r, MeshHeaders.DLQ_REASON);
    return new DeadLetter(
        r.topic(),
        r.offset(),
        origin == null ? "unknown" : origin,
        parseInt(header(r, MeshHeaders.DLQ_PARTITION), -1),
        parseLong(header(r, MeshHeaders.DLQ_OFFSET)),
        reason == null ? "unknown" : reason,
        header(r, MeshHeaders.DLQ_EXCEPTION),
        header(r, MeshHeaders.DLQ_MESSAGE),
        attempts == null ? 0 : parseInt(attempts, 0),
        r.key(),
        r.value(),
        headers(r));
  }

  static int parseInt(@Nullable String s, int fallback) {
    try {
      return s == null ? fallback : Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  static long parseLong(@Nullable String s) {
    try {
      return s == null ? -1 : Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
