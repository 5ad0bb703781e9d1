package io.meshsdk.connect.internal;

import io.meshsdk.lineage.MeshHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.json.JsonConverter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The converter's own dead letters, for source connectors (Connect's dead-letter queue serves sink
 * connectors only): the original value (text as it was, bytes as they were, structured data as
 * JSON), the position headers and Mesh's {@code mesh.dlq.*} headers, written and acknowledged
 * before the record is refused, so nothing is lost when Connect then skips it.
 */
final class ConnectDeadLetters implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectDeadLetters.class);

  private final @Nullable String topic;
  private final Map<String, Object> config;
  private @Nullable KafkaProducer<byte[], byte[]> producer;
  private @Nullable JsonConverter json;
  private boolean topicReady;

  ConnectDeadLetters(@Nullable String topic, Map<String, Object> config) {
    this.topic = topic;
    this.config = new HashMap<>(config);
  }

  synchronized void write(
      String target,
      @Nullable Headers original,
      Positions.@Nullable Position position,
      @Nullable Schema schema,
      @Nullable Object value,
      String reason,
      Exception cause,
      String message) {
    String t = topic;
    if (t == null) {
      return;
    }
    KafkaProducer<byte[], byte[]> p = producer();
    ensureTopic(t);
    Headers h = new RecordHeaders();
    if (original != null) {
      for (Header header : original) {
        h.add(header);
      }
    }
    if (position != null) {
      position.addTo(h);
    }
    h.add(MeshHeaders.DLQ_REASON, utf8(reason));
    h.add(MeshHeaders.DLQ_EXCEPTION, utf8(cause.getClass().getName()));
    h.add(MeshHeaders.DLQ_MESSAGE, utf8(message));
    h.add(MeshHeaders.DLQ_TOPIC, utf8(target));
    h.add(MeshHeaders.DLQ_TIME, utf8(Instant.now().toString()));
    try {
      p.send(new ProducerRecord<>(t, null, null, null, bytesOf(target, schema, value), h))
          .get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("interrupted while dead-lettering to " + t, e);
    } catch (ExecutionException | TimeoutException e) {
      // the record is neither written nor dead-lettered: the task must not go on past it
      throw new ConnectException("dead-lettering to " + t + " failed: " + e, e);
    }
    LOG.warn("dead-lettered a record for {} to {} ({})", target, t, reason);
  }

  private byte @Nullable [] bytesOf(
      String target, @Nullable Schema schema, @Nullable Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] b) {
      return b;
    }
    if (value instanceof CharSequence c) {
      return utf8(c.toString());
    }
    JsonConverter j = json;
    if (j == null) {
      j = new JsonConverter();
      j.configure(Map.of("schemas.enable", false, "converter.type", "value"));
      json = j;
    }
    return j.fromConnectData(target, schema, value);
  }

  private KafkaProducer<byte[], byte[]> producer() {
    KafkaProducer<byte[], byte[]> p = producer;
    if (p == null) {
      Map<String, Object> c = new HashMap<>(config);
      c.put("acks", "all");
      c.put("enable.idempotence", true);
      c.put("client.id", "mesh-connect-dlq-" + UUID.randomUUID().toString().substring(0, 8));
      p = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
      producer = p;
    }
    return p;
  }

  /** Creates the topic at the first dead letter, with the broker's defaults; it may exist. */
  private void ensureTopic(String t) {
    if (topicReady) {
      return;
    }
    try (Admin admin = Admin.create(config)) {
      admin
          .createTopics(List.of(new NewTopic(t, Optional.empty(), Optional.empty())))
          .all()
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new ConnectException("cannot create the dead-letter topic " + t + ": " + e, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("interrupted while creating " + t, e);
    } catch (TimeoutException e) {
      throw new ConnectException("creating the dead-letter topic " + t + " timed out", e);
    }
    topicReady = true;
  }

  @Override
  public synchronized void close() {
    KafkaProducer<byte[], byte[]> p = producer;
    if (p != null) {
      p.close(java.time.Duration.ofSeconds(10));
    }
    JsonConverter j = json;
    if (j != null) {
      j.close();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
