package io.meshsdk.runtime.internal;

import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one non-transactional {@code KafkaProducer} of a mesh, shared by every producer of a product,
 * dead-letter writer, replay and chained dual producer of that mesh, as Kafka advises (a producer
 * serves many topics and threads; each one costs an I/O thread, buffers and connections). Created
 * at first use, closed with the mesh after the clients that use it. Transactional producers are
 * never shared: a transaction belongs to one producer. Thread-safe.
 */
public final class SharedProducer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedProducer.class);

  private @Nullable Producer<byte[], byte[]> producer;
  private AutoCloseable metrics = () -> {};
  private boolean closed;

  /**
   * The mesh's producer, created now if it is the first use.
   *
   * @param ctx the mesh's context
   * @return the producer; never close it
   * @throws IllegalStateException when the mesh is closed
   */
  public synchronized Producer<byte[], byte[]> get(MeshContext ctx) {
    if (closed) {
      throw new IllegalStateException("the mesh of " + ctx.application() + " is closed");
    }
    if (producer == null) {
      Producer<byte[], byte[]> created =
          Clients.producer(ctx, Clients.clientId(ctx.application() + "-producer"), null);
      metrics = Clients.bindMetrics(ctx.telemetry(), created, ctx.application());
      producer = created;
    }
    return producer;
  }

  /** Closes the producer, if one was created, within the mesh's close time-out. */
  public void close(Duration timeout) {
    Producer<byte[], byte[]> p;
    AutoCloseable m;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      p = producer;
      m = metrics;
      producer = null;
    }
    if (p == null) {
      return;
    }
    try {
      m.close();
    } catch (Exception e) {
      LOG.debug("unbinding the producer's metrics failed: {}", e.toString());
    }
    try {
      p.close(timeout);
    } catch (RuntimeException e) {
      LOG.warn("closing the mesh's producer failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
