package io.meshsdk.streams;

import io.meshsdk.consumer.FailureReason;
import io.meshsdk.consumer.internal.DeadLetterRecords;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.internal.PiiMasker;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.migration.MigrationException;
import io.meshsdk.serde.RecordDecodingException;
import io.meshsdk.streams.internal.StreamsMeters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' deserialization, processing and production exception handlers in one, writing the
 * records that fail to dead-letter topics in Mesh's format, so that a poison pill never stops the
 * application and {@link io.meshsdk.consumer.DeadLetters} can show and replay what failed.
 *
 * <pre>{@code
 * props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, MeshStreamsDeadLetters.class);
 * props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, MeshStreamsDeadLetters.class);
 * props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, MeshStreamsDeadLetters.class);
 * }</pre>
 *
 * <p>A dead letter is the failed input record as the application read it: its original key and
 * value bytes and its headers (earlier {@code mesh.dlq.*} headers replaced), with the same {@code
 * mesh.dlq.*} error headers a {@code MeshConsumer} writes ({@link MeshHeaders#DLQ_REASON}, the
 * exception, its message truncated and with the PII values of a product masked, the source topic,
 * partition, offset and timestamp, the application id as group, one attempt, the time). It goes to
 * {@code {source topic}.{application.id}.dlq}, the topic a {@code MeshConsumer} of group {@code
 * application.id} would use, so {@code mesh.deadLetters(contract, applicationId)} reads it; {@value
 * #DEAD_LETTER_TOPIC} names one topic for all instead. Kafka Streams sends the dead letters itself
 * ({@code Response.resume(deadLetters)}, KIP-1034), in the application's transaction under
 * exactly-once, and then goes on with the next record.
 *
 * <p>What fails where: a record that cannot be decoded (reason as {@code MeshConsumer} gives it:
 * {@code wrong_magic_byte}, {@code unknown_schema_id}, ..., or {@code decoder_failure}); a
 * processor that throws ({@code handler}, or {@code migration}); a record a processor emits that
 * cannot be serialized, such as one that breaks its product's contract ({@code handler}: the input
 * that led to it is dead-lettered, as a {@code MeshConsumer}'s handler that sends a bad record
 * fails that input). A record that Kafka refuses when it is sent (a broker or authorization
 * problem, not the record's fault) is retried when the error is retriable and otherwise stops the
 * application, as Kafka Streams' default does; a record larger than the topic allows is
 * dead-lettered without its value when it would not fit either. A failure with no input record
 * behind it (a punctuation) is logged and the application goes on.
 *
 * <p>Thread-safety: Kafka Streams creates one instance per stream thread for each handler and
 * configures it before use; an instance is safe to share once configured.
 */
public final class MeshStreamsDeadLetters
    implements DeserializationExceptionHandler,
        ProcessingExceptionHandler,
        ProductionExceptionHandler {
  /**
   * Configuration key: one dead-letter topic for every source topic, instead of {@code {source
   * topic}.{application.id}.dlq}.
   */
  public static final String DEAD_LETTER_TOPIC = "mesh.streams.dead.letter.topic";

  private static final Logger LOG = LoggerFactory.getLogger(MeshStreamsDeadLetters.class);
  private static final int MAX_MESSAGE = 1000;
  private static final String WITHHELD =
      "(message withheld: it may contain a PII value of the record)";

  private final Map<Class<?>, PiiMasker> maskers = new ConcurrentHashMap<>();
  private volatile @Nullable String applicationId;
  private volatile @Nullable String fixedTopic;
  private volatile int maxRequestSize = 1024 * 1024;
  private volatile @Nullable StreamsMeters meters;

  /** A handler for Kafka Streams to create by class name and configure. */
  public MeshStreamsDeadLetters() {}

  /**
   * Reads {@code application.id} (required: it names the dead-letter topics and stands as the group
   * in the dead letters), {@value #DEAD_LETTER_TOPIC}, the producer's {@code max.request.size} and,
   * in a configuration from {@link MeshStreams#properties()}, the instance whose {@code mesh.dlq}
   * counter it increments.
   *
   * @param configs the Streams configuration
   * @throws MeshConfigurationException when {@code application.id} is missing or a setting is
   *     invalid
   */
  @Override
  public void configure(Map<String, ?> configs) {
    Object id = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
    if (id == null || id.toString().isBlank()) {
      throw new MeshConfigurationException(
          "MeshStreamsDeadLetters needs " + StreamsConfig.APPLICATION_ID_CONFIG);
    }
    applicationId = id.toString().trim();
    Object topic = configs.get(DEAD_LETTER_TOPIC);
    if (topic != null && topic.toString().isBlank()) {
      throw new MeshConfigurationException(
          DEAD_LETTER_TOPIC + " is blank: name a topic or leave it out");
    }
    fixedTopic = topic == null ? null : topic.toString().trim();
    meters = StreamsMeters.find(configs.get(StreamsMeters.INSTANCE)).orElse(null);
    Object size = configs.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    if (size == null) {
      size = configs.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
    }
    if (size != null) {
      try {
        maxRequestSize = Integer.parseInt(size.toString().trim());
      } catch (NumberFormatException e) {
        throw new MeshConfigurationException(
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG + " is not a number: " + size);
      }
    }
  }

  /**
   * A record that could not be deserialized: dead-lettered as it was read; processing goes on.
   *
   * @param context where the record was read
   * @param record the record's bytes
   * @param exception why it could not be deserialized
   * @return resume, with the dead letter
   */
  @Override
  public DeserializationExceptionHandler.Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    FailureReason reason = FailureReason.DECODER_FAILURE;
    RecordDecodingException decoding = find(exception, RecordDecodingException.class);
    if (decoding != null) {
      reason = FailureReason.of(decoding.reason());
    }
    ProducerRecord<byte[], byte[]> letter =
        deadLetter(
            record.topic(),
            record.partition(),
            record.offset(),
            record.timestamp(),
            record.key(),
            record.value(),
            record.headers(),
            reason,
            exception,
            null);
    return DeserializationExceptionHandler.Response.resume(List.of(letter));
  }

  /**
   * A processor threw: the input record that led to it is dead-lettered with its original bytes;
   * processing goes on.
   *
   * @param context the failed record's source
   * @param record the record the processor was given
   * @param exception what it threw
   * @return resume, with the dead letter when there is an input record
   */
  @Override
  public ProcessingExceptionHandler.Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    FailureReason reason =
        find(exception, MigrationException.class) != null
            ? FailureReason.MIGRATION
            : FailureReason.HANDLER;
    Optional<ProducerRecord<byte[], byte[]>> letter =
        fromSource(context, reason, exception, record.value());
    return ProcessingExceptionHandler.Response.resume(letter.map(List::of).orElse(List.of()));
  }

  /**
   * A record a processor emitted could not be serialized (it breaks its product's contract, for
   * one): the input record that led to it is dead-lettered; processing goes on.
   *
   * @param context the input record's source
   * @param record the record that could not be serialized
   * @param exception why
   * @param origin key or value
   * @return resume, with the dead letter when there is an input record
   */
  @Override
  @SuppressWarnings("rawtypes")
  public ProductionExceptionHandler.Response handleSerializationError(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception exception,
      SerializationExceptionOrigin origin) {
    Optional<ProducerRecord<byte[], byte[]>> letter =
        fromSource(
            context,
            FailureReason.HANDLER,
            exception,
            origin == SerializationExceptionOrigin.VALUE ? record.value() : record.key());
    return ProductionExceptionHandler.Response.resume(letter.map(List::of).orElse(List.of()));
  }

  /**
   * Kafka refused to send a serialized record: retried when the error is retriable; a record too
   * large for its topic is dead-lettered (its input record, which the dead letter's size rules make
   * fit); anything else stops the application, as Kafka Streams' default does, since the broker or
   * the permissions are at fault, not the record.
   *
   * @param context the input record's source
   * @param record the record Kafka refused
   * @param exception why
   * @return retry, resume with the dead letter, or fail
   */
  @Override
  public ProductionExceptionHandler.Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof RetriableException) {
      return ProductionExceptionHandler.Response.retry();
    }
    if (exception instanceof org.apache.kafka.common.errors.RecordTooLargeException) {
      Optional<ProducerRecord<byte[], byte[]>> letter =
          fromSource(context, FailureReason.HANDLER, exception, null);
      return ProductionExceptionHandler.Response.resume(letter.map(List::of).orElse(List.of()));
    }
    return ProductionExceptionHandler.Response.fail();
  }

  private Optional<ProducerRecord<byte[], byte[]>> fromSource(
      ErrorHandlerContext context,
      FailureReason reason,
      Exception exception,
      @Nullable Object value) {
    String topic = context.topic();
    if (topic == null) {
      LOG.warn(
          "{}: processor {} failed outside a record (a punctuation?); nothing to dead-letter, going"
              + " on: {}",
          context.taskId(),
          context.processorNodeId(),
          exception.toString());
      return Optional.empty();
    }
    return Optional.of(
        deadLetter(
            topic,
            context.partition(),
            context.offset(),
            context.timestamp(),
            context.sourceRawKey(),
            context.sourceRawValue(),
            context.headers(),
            reason,
            exception,
            value));
  }

  private ProducerRecord<byte[], byte[]> deadLetter(
      String topic,
      int partition,
      long offset,
      long timestamp,
      byte @Nullable [] key,
      byte @Nullable [] value,
      @Nullable Headers original,
      FailureReason reason,
      Exception exception,
      @Nullable Object decoded) {
    String id = applicationId;
    if (id == null) {
      throw new IllegalStateException("MeshStreamsDeadLetters is used before it is configured");
    }
    String target = fixedTopic != null ? fixedTopic : topic + "." + id + ".dlq";
    StreamsMeters m = meters;
    if (m != null) {
      m.deadLettered(topic, original == null ? new RecordHeaders() : original, reason.code());
    }
    RecordHeaders errors = new RecordHeaders();
    add(errors, MeshHeaders.DLQ_REASON, reason.code());
    add(errors, MeshHeaders.DLQ_EXCEPTION, exception.getClass().getName());
    add(errors, MeshHeaders.DLQ_MESSAGE, safeMessage(exception, decoded));
    add(errors, MeshHeaders.DLQ_TOPIC, topic);
    add(errors, MeshHeaders.DLQ_PARTITION, Integer.toString(partition));
    add(errors, MeshHeaders.DLQ_OFFSET, Long.toString(offset));
    add(errors, MeshHeaders.DLQ_TIMESTAMP, Long.toString(timestamp));
    add(errors, MeshHeaders.DLQ_GROUP, id);
    add(errors, MeshHeaders.DLQ_ATTEMPTS, "1");
    add(errors, MeshHeaders.DLQ_TIME, Instant.now().toString());
    Long time = timestamp >= 0 ? timestamp : null;
    ProducerRecord<byte[], byte[]> whole =
        new ProducerRecord<>(target, null, time, key, value, headers(original, errors));
    if (DeadLetterRecords.estimate(whole) <= maxRequestSize) {
      LOG.warn(
          "{}: dead-lettered {}-{}@{} to {} ({})",
          id,
          topic,
          partition,
          offset,
          target,
          reason.code());
      return whole;
    }
    // too large for the producer: leave the value out, then key and headers too, and say so
    RecordHeaders smaller = headers(original, errors);
    add(smaller, MeshHeaders.DLQ_OMITTED, "value");
    addValueFacts(smaller, value);
    ProducerRecord<byte[], byte[]> withoutValue =
        new ProducerRecord<>(target, null, time, key, null, smaller);
    ProducerRecord<byte[], byte[]> letter = withoutValue;
    if (DeadLetterRecords.estimate(withoutValue) > maxRequestSize) {
      RecordHeaders least = headers(null, errors);
      add(least, MeshHeaders.DLQ_OMITTED, "value,key,headers");
      addValueFacts(least, value);
      letter = new ProducerRecord<>(target, null, time, null, null, least);
    }
    LOG.warn(
        "{}: the dead letter of {}-{}@{} is too large for {}: it leaves out the {} ({})",
        id,
        topic,
        partition,
        offset,
        target,
        new String(
            letter.headers().lastHeader(MeshHeaders.DLQ_OMITTED).value(), StandardCharsets.UTF_8),
        reason.code());
    return letter;
  }

  private static RecordHeaders headers(@Nullable Headers original, Headers errors) {
    RecordHeaders headers =
        original == null ? new RecordHeaders() : DeadLetterRecords.withoutDlqHeaders(original);
    for (Header h : errors) {
      headers.add(h);
    }
    return headers;
  }

  private static void addValueFacts(Headers headers, byte @Nullable [] value) {
    if (value != null) {
      add(headers, MeshHeaders.DLQ_VALUE_SIZE, Integer.toString(value.length));
      add(headers, MeshHeaders.DLQ_VALUE_SHA256, DeadLetterRecords.sha256(value));
    }
  }

  /**
   * The message with the PII values of a product masked, then truncated; withheld when it cannot be
   * shown safely. A value that is not a product has no declared PII: its message is kept.
   */
  private String safeMessage(Exception exception, @Nullable Object value) {
    String message = String.valueOf(exception.getMessage());
    if (value != null && value.getClass().isAnnotationPresent(DataProduct.class)) {
      try {
        PiiMasker masker =
            maskers.computeIfAbsent(value.getClass(), c -> PiiMasker.of(ProductContract.of(c)));
        message = masker.mask(message, value).orElse(WITHHELD);
      } catch (RuntimeException e) {
        message = WITHHELD; // a class that is no valid product: its PII cannot be known
      }
    }
    return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
  }

  private static <E extends Throwable> @Nullable E find(Throwable error, Class<E> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static void add(Headers headers, String key, String value) {
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
