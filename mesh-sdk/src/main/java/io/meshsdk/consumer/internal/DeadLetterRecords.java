package io.meshsdk.consumer.internal;

import io.meshsdk.lineage.MeshHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The parts of a dead letter every writer of them shares (the consumers' {@code DeadLetterWriter},
 * replay, and {@code mesh-streams}' exception handlers): the original headers without earlier error
 * headers, a record's size as the producer counts it, and the digest of a value left out.
 * Stateless, thread-safe.
 */
public final class DeadLetterRecords {
  private DeadLetterRecords() {}

  /**
   * A record's headers without the {@code mesh.dlq.*} ones: what a dead letter keeps of an earlier
   * dead-lettering, and what a replay hands back.
   *
   * @param headers the record's headers
   * @return a new, writable copy
   */
  public static RecordHeaders withoutDlqHeaders(Headers headers) {
    RecordHeaders kept = new RecordHeaders();
    for (Header h : headers) {
      if (!h.key().startsWith(MeshHeaders.DLQ_PREFIX)) {
        kept.add(h);
      }
    }
    return kept;
  }

  /**
   * An upper bound of a record's size as the producer counts it against {@code max.request.size}: a
   * batch header, the record's own framing, key, value and headers.
   *
   * @param record the record
   * @return the bound in bytes
   */
  public static int estimate(ProducerRecord<byte[], byte[]> record) {
    long size = 61 + 21;
    size += record.key() == null ? 0 : record.key().length;
    size += record.value() == null ? 0 : record.value().length;
    for (Header h : record.headers()) {
      size += 10 + h.key().getBytes(StandardCharsets.UTF_8).length;
      size += h.value() == null ? 0 : h.value().length;
    }
    return (int) Math.min(Integer.MAX_VALUE, size);
  }

  /**
   * The SHA-256 of a value a dead letter leaves out, in lower-case hex ({@link
   * MeshHeaders#DLQ_VALUE_SHA256}).
   *
   * @param value the value
   * @return the digest
   */
  public static String sha256(byte[] value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
