package io.meshsdk.examples.analytics;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The analytics domain: replays the whole history of {@code OrderPlaced} from the beginning with
 * its own older reader class, keeps revenue per currency and reports freshness (how old events are
 * when they arrive). Each event counts once, by its id: a record another group dead-lettered and
 * replayed comes back to the topic with the same {@code ce_id}.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class AnalyticsService {
  /** The consumer group. */
  public static final String GROUP = "analytics";

  private final MeshConsumer<OrderHistoryView> consumer;
  private final LongAdder orders = new LongAdder();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Map<String, LongAdder> revenue = new ConcurrentHashMap<>();
  private final AtomicLong maxFreshnessMillis = new AtomicLong();

  /**
   * Starts the replay.
   *
   * @param mesh the mesh
   */
  public AnalyticsService(Mesh mesh) {
    Objects.requireNonNull(mesh, "mesh");
    this.consumer =
        mesh.consumer(OrderHistoryView.class)
            .group(GROUP)
            .startFrom(StartPosition.earliest())
            .handle(
                event -> {
                  if (!seen.add(event.eventId())) {
                    return; // a replayed copy of an event already counted
                  }
                  OrderHistoryView o = event.value();
                  orders.increment();
                  revenue.computeIfAbsent(o.currency(), c -> new LongAdder()).add(o.amountCents());
                  long age = Duration.between(event.eventTime(), Instant.now()).toMillis();
                  maxFreshnessMillis.accumulateAndGet(age, Math::max);
                })
            .start();
  }

  /**
   * Orders seen.
   *
   * @return the count
   */
  public long orders() {
    return orders.sum();
  }

  /**
   * Revenue in minor units per currency.
   *
   * @return a snapshot, sorted by currency
   */
  public Map<String, Long> revenue() {
    Map<String, Long> snapshot = new TreeMap<>();
    revenue.forEach((c, sum) -> snapshot.put(c, sum.sum()));
    return snapshot;
  }

  /**
   * The oldest an event was when it arrived.
   *
   * @return the age
   */
  public Duration maxFreshness() {
    return Duration.ofMillis(maxFreshnessMillis.get());
  }

  /**
   * The running consumer.
   *
   * @return the consumer
   */
  public MeshConsumer<OrderHistoryView> consumer() {
    return consumer;
  }
}
