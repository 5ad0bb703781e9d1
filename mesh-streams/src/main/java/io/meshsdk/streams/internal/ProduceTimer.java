package io.meshsdk.streams.internal;

import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The producer interceptor that times, for Kafka Streams' producers, each product record from its
 * send to the broker's answer ({@code mesh.produce}, outcome {@code success} or {@code failure}):
 * Kafka Streams serializes records itself, so only the producer sees the acknowledgement. A record
 * is matched to its answer by its headers object, which the producer hands back unchanged. Only
 * records to the topics a product serde of this application wrote to are timed: not Kafka Streams'
 * changelogs and repartitions, nor dead letters.
 *
 * <p>Thread-safety: thread-safe; one per producer.
 */
public final class ProduceTimer implements ProducerInterceptor<Object, Object> {
  /** Entries beyond this mean answers got lost: dropped rather than kept forever. */
  private static final int MAX_IN_FLIGHT = 1 << 20;

  private final Map<Headers, Sent> inFlight = new IdentityHashMap<>();
  private volatile @Nullable StreamsMeters meters;

  private record Sent(StreamsMeters.Produce produce, long startNanos) {}

  /** For Kafka to create by class name. */
  public ProduceTimer() {}

  @Override
  public void configure(Map<String, ?> configs) {
    meters = StreamsMeters.find(configs.get(StreamsMeters.INSTANCE)).orElse(null);
  }

  @Override
  public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
    StreamsMeters m = meters;
    if (m != null) {
      m.written(record.topic())
          .ifPresent(
              p -> {
                synchronized (inFlight) {
                  if (inFlight.size() >= MAX_IN_FLIGHT) {
                    inFlight.clear();
                  }
                  inFlight.put(record.headers(), new Sent(p, System.nanoTime()));
                }
              });
    }
    return record;
  }

  @Override
  public void onAcknowledgement(
      @Nullable RecordMetadata metadata, @Nullable Exception exception, @Nullable Headers headers) {
    if (headers == null || meters == null) {
      return;
    }
    Sent s;
    synchronized (inFlight) {
      s = inFlight.remove(headers);
    }
    if (s != null) {
      s.produce().sent(s.startNanos(), exception == null);
    }
  }

  @Override
  public void onAcknowledgement(@Nullable RecordMetadata metadata, @Nullable Exception exception) {
    // the three-argument form above is the one the producer calls
  }

  @Override
  public void close() {
    synchronized (inFlight) {
      inFlight.clear();
    }
  }
}
