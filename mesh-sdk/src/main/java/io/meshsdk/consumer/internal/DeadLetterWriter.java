package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.Failure;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.internal.DefaultProductContract;
import io.meshsdk.contract.internal.PropertyModel;
import io.meshsdk.errors.MeshException;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.runtime.internal.Clients;
import io.meshsdk.runtime.internal.MeshContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dead letters: the original key, value and headers, earlier {@code mesh.dlq.*} headers
 * replaced by the new ones. Without a transaction the write is synchronous, so the caller commits
 * the offset only after the broker acknowledged it; in a transaction it commits with the batch.
 * Exception messages are truncated and the record's PII field values masked.
 */
final class DeadLetterWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);
  private static final int MAX_MESSAGE = 1000;

  private final MeshContext ctx;
  private final String clientId;
  private final String topic;
  private final String group;
  private final @Nullable TransactionHooks transactions;
  private final List<PropertyModel> piiProperties;
  private @Nullable Producer<byte[], byte[]> producer;

  DeadLetterWriter(
      MeshContext ctx,
      String clientId,
      String topic,
      String group,
      ProductContract<?> contract,
      @Nullable TransactionHooks transactions) {
    this.ctx = ctx;
    this.clientId = clientId;
    this.topic = topic;
    this.group = group;
    this.transactions = transactions;
    this.piiProperties = piiProperties(contract);
  }

  private static List<PropertyModel> piiProperties(ProductContract<?> contract) {
    List<PropertyModel> result = new ArrayList<>();
    if (contract instanceof DefaultProductContract<?> c) {
      for (PropertyModel p : c.model().properties()) {
        if (p.pii() != null) {
          result.add(p);
        }
      }
    }
    return result;
  }

  /**
   * A record's headers without the {@code mesh.dlq.*} ones: what a dead letter keeps of an earlier
   * dead-lettering, and what a replay hands back.
   *
   * @param headers the record's headers
   * @return a new, writable copy
   */
  static RecordHeaders withoutDlqHeaders(Headers headers) {
    RecordHeaders kept = new RecordHeaders();
    for (Header h : headers) {
      if (!h.key().startsWith(MeshHeaders.DLQ_PREFIX)) {
        kept.add(h);
      }
    }
    return kept;
  }

  /**
   * Writes one dead letter.
   *
   * @throws MeshException when the write is not acknowledged (the caller retries later)
   */
  void write(ConsumerRecord<byte[], byte[]> r, Failure f, @Nullable Object value) {
    RecordHeaders headers = withoutDlqHeaders(r.headers());
    add(headers, MeshHeaders.DLQ_REASON, f.reason());
    add(headers, MeshHeaders.DLQ_EXCEPTION, f.error().getClass().getName());
    add(headers, MeshHeaders.DLQ_MESSAGE, safeMessage(f.error(), value));
    add(headers, MeshHeaders.DLQ_TOPIC, r.topic());
    add(headers, MeshHeaders.DLQ_PARTITION, Integer.toString(r.partition()));
    add(headers, MeshHeaders.DLQ_OFFSET, Long.toString(r.offset()));
    add(headers, MeshHeaders.DLQ_TIMESTAMP, Long.toString(r.timestamp()));
    add(headers, MeshHeaders.DLQ_GROUP, group);
    add(headers, MeshHeaders.DLQ_ATTEMPTS, Integer.toString(f.attempts()));
    add(headers, MeshHeaders.DLQ_TIME, Instant.now().toString());
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, null, null, r.key(), r.value(), headers);
    if (transactions != null) {
      transactions.producer().send(record);
      return;
    }
    try {
      producer().send(record).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeshException("interrupted while dead-lettering", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new MeshException("dead-lettering to " + topic + " failed: " + e, e);
    }
    LOG.warn(
        "{}: dead-lettered {}-{}@{} to {} after {} attempt(s) ({})",
        clientId,
        r.topic(),
        r.partition(),
        r.offset(),
        topic,
        f.attempts(),
        f.reason());
  }

  /** The exception message, truncated, with the record's PII values masked. */
  String safeMessage(Throwable error, @Nullable Object value) {
    String message = String.valueOf(error.getMessage());
    if (value != null) {
      for (PropertyModel p : piiProperties) {
        try {
          Object v = p.accessor().get(value);
          String text = v == null ? null : v.toString();
          if (text != null && text.length() >= 3) {
            message = message.replace(text, "***");
          }
        } catch (RuntimeException e) {
          // masking is best effort on a value that has already failed
        }
      }
    }
    return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
  }

  private Producer<byte[], byte[]> producer() {
    if (producer == null) {
      producer = Clients.producer(ctx, clientId + "-dlq", null);
    }
    return producer;
  }

  private static void add(Headers headers, String key, String value) {
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(ctx.closeTimeout());
    }
  }
}
