package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.DeadLetterException;
import io.meshsdk.consumer.Failure;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.internal.PiiMasker;
import io.meshsdk.errors.MeshException;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.runtime.ProvisioningMode;
import io.meshsdk.runtime.internal.MeshContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dead letters: the original key, value and headers, earlier {@code mesh.dlq.*} headers
 * replaced by the new ones, through the mesh's shared producer (or the transaction's). Without a
 * transaction the write is synchronous, so the caller commits the offset only after the broker
 * acknowledged it; in a transaction it commits with the batch. A dead letter too large for its
 * topic leaves out what does not fit, and says so. Exception messages are truncated and the
 * record's PII values masked. Writes are serialized, so the worker threads of a parallel consumer
 * may share one writer.
 */
public final class DeadLetterWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);
  private static final int MAX_MESSAGE = 1000;

  private final MeshContext ctx;
  private final String clientId;
  private final String topic;
  private final String group;
  private final @Nullable TransactionHooks transactions;
  private final PiiMasker masker;
  private final int requestLimit;
  private int topicLimit;
  private boolean topicReady;
  private long topicLimitRetry = System.nanoTime();
  private volatile Duration sendTimeout;

  public DeadLetterWriter(
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
    this.masker = PiiMasker.of(contract);
    this.requestLimit = maxRequestSize(ctx);
    this.sendTimeout = deliveryTimeout(ctx).plusSeconds(5);
  }

  /**
   * The producer's {@code delivery.timeout.ms}: a dead letter is waited for that long (and a little
   * more), so that a write reported as failed was given up by the producer, not still on its way
   * while it is written again.
   */
  public static Duration deliveryTimeout(MeshContext ctx) {
    Object configured = ctx.kafka().get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
    if (configured != null) {
      try {
        return Duration.ofMillis(Long.parseLong(configured.toString().trim()));
      } catch (NumberFormatException e) {
        // validated when the mesh is built
      }
    }
    return Duration.ofMillis(120_000);
  }

  private static int maxRequestSize(MeshContext ctx) {
    Object configured = ctx.kafka().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    if (configured != null) {
      try {
        return Integer.parseInt(configured.toString().trim());
      } catch (NumberFormatException e) {
        // validated when the mesh is built; fall back to Kafka's default
      }
    }
    return 1024 * 1024;
  }

  /**
   * Waits for a dead letter at most this long, when it is less than the producer's delivery
   * time-out: a share consumer must renew the record before its lock runs out. A write given up
   * this way may still arrive later, a duplicate dead letter rather than a lost record.
   */
  void waitAtMost(Duration wait) {
    if (wait.compareTo(sendTimeout) < 0) {
      sendTimeout = wait;
    }
  }

  /**
   * Writes one dead letter, leaving out what does not fit the dead-letter topic: first the value,
   * then the key and the original headers, each time with headers that say what was left out
   * ({@link MeshHeaders#DLQ_OMITTED}, the value's size and SHA-256). Without a transaction the
   * write is acknowledged before this returns, and a producer's refusal as too large leads to the
   * smaller copy; in a transaction the copy is sized before sending (a refused send would abort the
   * transaction), against the producer's {@code max.request.size} and the topic's {@code
   * max.message.bytes}.
   *
   * @throws DeadLetterException when the dead letter cannot be written: retriable when the broker
   *     could not be reached in time, not retriable when the topic refuses it (authorization, an
   *     invalid topic, too large even without value, key and headers)
   */
  public synchronized void write(
      ConsumerRecord<byte[], byte[]> r, Failure f, @Nullable Object value) {
    ensureTopic(r.topic());
    List<Header> errors = new ArrayList<>();
    add(errors, MeshHeaders.DLQ_REASON, f.reason().code());
    add(errors, MeshHeaders.DLQ_EXCEPTION, f.error().getClass().getName());
    add(errors, MeshHeaders.DLQ_MESSAGE, safeMessage(f.error(), value));
    add(errors, MeshHeaders.DLQ_TOPIC, r.topic());
    add(errors, MeshHeaders.DLQ_PARTITION, Integer.toString(r.partition()));
    add(errors, MeshHeaders.DLQ_OFFSET, Long.toString(r.offset()));
    add(errors, MeshHeaders.DLQ_TIMESTAMP, Long.toString(r.timestamp()));
    add(errors, MeshHeaders.DLQ_GROUP, group);
    add(errors, MeshHeaders.DLQ_ATTEMPTS, Integer.toString(f.attempts()));
    add(errors, MeshHeaders.DLQ_TIME, Instant.now().toString());
    int limit = requestLimit;
    if (transactions != null) {
      limit = Math.min(limit, topicLimit());
    }
    Omit omit = Omit.NOTHING;
    while (omit != Omit.EVERYTHING && DeadLetterRecords.estimate(copy(r, errors, omit)) > limit) {
      omit = omit.next();
    }
    if (transactions != null) {
      try {
        transactions.producer().send(copy(r, errors, omit));
      } catch (RuntimeException e) {
        throw refused(r, e);
      }
      logOmitted(r, omit);
      return;
    }
    while (true) {
      try {
        ctx.producer()
            .send(copy(r, errors, omit))
            .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeadLetterException(where(r) + ": interrupted while dead-lettering", true, e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        if (cause instanceof RecordTooLargeException && omit != Omit.EVERYTHING) {
          omit = omit.next();
          continue;
        }
        throw refused(r, cause);
      } catch (TimeoutException e) {
        throw new DeadLetterException(
            where(r)
                + ": dead-lettering to "
                + topic
                + " was not acknowledged within "
                + sendTimeout.toSeconds()
                + " s",
            true,
            e);
      } catch (RuntimeException e) {
        throw refused(r, e); // a producer that refuses synchronously (closed, misconfigured)
      }
    }
    logOmitted(r, omit);
    LOG.warn(
        "{}: dead-lettered {} to {} after {} attempt(s) ({})",
        clientId,
        where(r),
        topic,
        f.attempts(),
        f.reason().code());
  }

  /**
   * Creates the dead-letter topic at the first dead letter (provisioning {@code
   * CREATE_IF_MISSING}), not for every group at start: most groups never need one.
   */
  private void ensureTopic(String source) {
    if (topicReady || ctx.provisioning() != ProvisioningMode.CREATE_IF_MISSING) {
      return;
    }
    try {
      ctx.provisioner().provision(List.of(ctx.provisioner().deadLetterSpec(topic, source)));
      topicReady = true;
    } catch (MeshException e) {
      throw new DeadLetterException(
          "cannot create the dead-letter topic " + topic + ": " + e.getMessage(),
          e.isRetriable(),
          e);
    }
  }

  private DeadLetterException refused(ConsumerRecord<?, ?> r, Throwable cause) {
    boolean retriable =
        cause instanceof RetriableException
            || cause instanceof org.apache.kafka.common.errors.TimeoutException;
    return new DeadLetterException(
        where(r)
            + ": dead-lettering to "
            + topic
            + (retriable ? " failed: " : " was refused: ")
            + cause.getClass().getSimpleName()
            + ": "
            + cause.getMessage(),
        retriable,
        cause);
  }

  private void logOmitted(ConsumerRecord<byte[], byte[]> r, Omit omit) {
    if (omit != Omit.NOTHING) {
      LOG.warn(
          "{}: the dead letter of {} is too large for {}: it leaves out the {} (value of {} bytes;"
              + " the original stays in {} while its retention keeps it)",
          clientId,
          where(r),
          topic,
          omit.header,
          r.value() == null ? 0 : r.value().length,
          r.topic());
    }
  }

  /** What a dead letter leaves out to fit its topic. */
  private enum Omit {
    NOTHING(""),
    VALUE("value"),
    EVERYTHING("value,key,headers");

    final String header;

    Omit(String header) {
      this.header = header;
    }

    Omit next() {
      return this == NOTHING ? VALUE : EVERYTHING;
    }
  }

  private ProducerRecord<byte[], byte[]> copy(
      ConsumerRecord<byte[], byte[]> r, List<Header> errors, Omit omit) {
    RecordHeaders headers =
        omit == Omit.EVERYTHING
            ? new RecordHeaders()
            : DeadLetterRecords.withoutDlqHeaders(r.headers());
    for (Header h : errors) {
      headers.add(h);
    }
    byte[] value = r.value();
    if (omit != Omit.NOTHING) {
      add(headers, MeshHeaders.DLQ_OMITTED, omit.header);
      if (value != null) {
        add(headers, MeshHeaders.DLQ_VALUE_SIZE, Integer.toString(value.length));
        add(headers, MeshHeaders.DLQ_VALUE_SHA256, DeadLetterRecords.sha256(value));
      }
      value = null;
    }
    byte[] key = omit == Omit.EVERYTHING ? null : r.key();
    // the original's timestamp: with the COMPACT header profile it is the event time
    Long timestamp = r.timestamp() >= 0 ? r.timestamp() : null;
    return new ProducerRecord<>(topic, null, timestamp, key, value, headers);
  }

  /**
   * The dead-letter topic's {@code max.message.bytes}, asked once; a failed lookup is asked again a
   * minute later rather than trusted forever.
   */
  private int topicLimit() {
    if (topicLimit == 0 && System.nanoTime() - topicLimitRetry >= 0) {
      java.util.OptionalInt limit = ctx.provisioner().maxMessageBytes(topic);
      if (limit.isPresent()) {
        topicLimit = limit.getAsInt();
      } else {
        topicLimitRetry = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      }
    }
    return topicLimit == 0 ? Integer.MAX_VALUE : topicLimit;
  }

  private static String where(ConsumerRecord<?, ?> r) {
    return r.topic() + "-" + r.partition() + "@" + r.offset();
  }

  /** What stands for a message that may hold a PII value of the record. */
  static final String WITHHELD = "(message withheld: it may contain a PII value of the record)";

  /**
   * The exception message with the record's PII values masked, then truncated (in that order, so a
   * cut cannot leave part of a value unmasked); withheld when it cannot be shown safely.
   */
  String safeMessage(Throwable error, @Nullable Object value) {
    String message = masker.mask(String.valueOf(error.getMessage()), value).orElse(WITHHELD);
    return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
  }

  private static void add(Headers headers, String key, String value) {
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static void add(List<Header> headers, String key, String value) {
    headers.add(new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8)));
  }

  /** Nothing to release: dead letters go through the mesh's shared producer. */
  @Override
  public void close() {}
}
