package io.meshsdk.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshsdk.catalog.internal.OpenLineageSettings.Transport;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.fixtures.OrderPlaced;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.telemetry.internal.Telemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The emitter's queue is bounded and never makes a client wait: with the transport stuck, events
 * beyond the capacity are dropped and counted, and the callers return at once.
 */
class OpenLineageEmitterQueueTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A transport that holds every send until released, keeping what it was given. */
  private static final class StuckTransport implements OpenLineageTransport {
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch entered = new CountDownLatch(1);
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void send(String key, String event) throws InterruptedException {
      entered.countDown();
      assertThat(release.await(1, TimeUnit.MINUTES)).isTrue();
      events.add(event);
    }

    @Override
    public void close() {}
  }

  @Test
  void aFullQueueDropsAndCountsEventsWithoutBlockingTheClients() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    StuckTransport transport = new StuckTransport();
    OpenLineageSettings settings =
        new OpenLineageSettings(
            Transport.LOG, null, null, null, "test", Duration.ofHours(1), 2, Duration.ofMinutes(1));
    OpenLineageEmitter emitter =
        new OpenLineageEmitter(
            settings,
            "queue-test",
            "in-memory:9092",
            new Telemetry(meters, OpenTelemetry.noop(), true),
            transport);
    ProductContract<OrderPlaced> contract = ProductContract.of(OrderPlaced.class);

    emitter.producing(contract, "topic-0"); // START, taken by the thread, which is then stuck
    assertThat(transport.entered.await(30, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i <= 10; i++) {
      emitter.producing(contract, "topic-" + i); // a new dataset each: a RUNNING event each
    }
    // all ten calls returned with the transport still stuck: 2 queued, 8 dropped
    assertThat(transport.release.getCount()).isEqualTo(1);
    assertThat(count(meters, "dropped")).isEqualTo(8);

    transport.release.countDown();
    emitter.close();
    List<String> types =
        transport.events.stream().map(e -> read(e).get("eventType").asText()).toList();
    assertThat(types).containsExactly("START", "RUNNING", "RUNNING", "COMPLETE");
    JsonNode complete = read(transport.events.get(3));
    assertThat(complete.get("outputs")).extracting(d -> d.get("name").asText()).hasSize(11);
    assertThat(count(meters, "sent")).isEqualTo(4);
  }

  @Test
  void closingAMeshThatNeverProducedOrConsumedSendsNothing() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    StuckTransport transport = new StuckTransport();
    transport.release.countDown();
    OpenLineageSettings settings =
        new OpenLineageSettings(
            Transport.LOG, null, null, null, null, Duration.ofMillis(1), 2, Duration.ofMinutes(1));
    OpenLineageEmitter emitter =
        new OpenLineageEmitter(
            settings,
            "idle",
            "in-memory:9092",
            new Telemetry(meters, OpenTelemetry.noop(), true),
            transport);
    emitter.closing();
    emitter.close();
    emitter.close();
    assertThat(transport.events).isEmpty();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("mesh-openlineage-idle"));
  }

  private static double count(SimpleMeterRegistry meters, String outcome) {
    return meters
        .get(MeshMetrics.OPENLINEAGE_EVENTS)
        .tag(MeshMetrics.TAG_OUTCOME, outcome)
        .counter()
        .count();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
