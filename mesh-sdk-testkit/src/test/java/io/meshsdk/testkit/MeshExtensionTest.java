package io.meshsdk.testkit;

import static io.meshsdk.testkit.MeshAssertions.assertThat;
import static io.meshsdk.testkit.MeshAssertions.assertThatMetrics;
import static io.meshsdk.testkit.MeshAssertions.assertThatThrownBy;

import io.meshsdk.consumer.FailureReason;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.testkit.Fixtures.InvoiceSent;
import io.meshsdk.testkit.Fixtures.OrderPlaced;
import io.meshsdk.testkit.Fixtures.ShipmentRequested;
import io.opentelemetry.api.trace.SpanKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The extension in its default, in-memory mode: the whole runtime with no broker. */
@MeshTest(timeoutMillis = 5_000)
class MeshExtensionTest {
  TestMesh field;
  TestMesh fromBeforeEach;

  @BeforeEach
  void setUp(TestMesh mesh) {
    fromBeforeEach = mesh;
  }

  @Test
  void injectsOneFreshMeshPerTestIntoFieldsAndParameters(TestMesh mesh) {
    assertThat(field).isSameAs(mesh).isSameAs(fromBeforeEach);
    assertThat(mesh.mode()).isEqualTo(BrokerMode.IN_MEMORY);
    assertThat(mesh.application()).isEqualTo("MeshExtensionTest");
    // a fresh cluster: no other test's topics are visible
    assertThat(mesh.inMemoryKafka().orElseThrow().topics()).isEmpty();
  }

  @Test
  void producedEventsCarryKeyHeadersAndContract(TestMesh mesh) {
    MeshProducer<OrderPlaced> orders = mesh.producer(OrderPlaced.class);
    orders.send(new OrderPlaced("o-1", 1250)).join();
    orders.send(new OrderPlaced("o-2", 990)).join();

    assertThat(mesh.published(OrderPlaced.class))
        .hasSize(2)
        .anySatisfy(
            e ->
                assertThat(e)
                    .hasKey("o-1")
                    .hasValue(new OrderPlaced("o-1", 1250))
                    .hasType("orders.order-placed.v1")
                    .hasHeader(MeshHeaders.SPEC_VERSION, "1.0")
                    .hasHeader(MeshHeaders.TRACEPARENT)
                    .hasNoParents());
    // a key lands where Kafka's default partitioner puts it: both orders on their hashed partition
    assertThat(mesh.inMemoryKafka().orElseThrow().partitions(mesh.topicOf(OrderPlaced.class)))
        .contains(3);
  }

  @Test
  void parallelConsumersRunInMemoryAndWhatTheirWorkersProduceNamesItsParent(TestMesh mesh) {
    MeshProducer<ShipmentRequested> shipments = mesh.producer(ShipmentRequested.class);
    mesh.consumer(OrderPlaced.class)
        .group("shipping")
        .startFrom(StartPosition.earliest())
        .parallel(io.meshsdk.consumer.MeshConsumer.Ordering.KEY, 4)
        .handle(e -> shipments.send(new ShipmentRequested(e.value().orderId(), "dhl")).join())
        .start();
    MeshProducer<OrderPlaced> orders = mesh.producer(OrderPlaced.class);
    for (int i = 0; i < 40; i++) {
      orders.send(new OrderPlaced("o-" + (i % 8), i)).join();
    }
    assertThat(mesh.published(ShipmentRequested.class)).hasSize(40);
    List<EventRef> orderRefs =
        mesh.published(OrderPlaced.class).now().stream().map(PublishedEvent::ref).toList();
    for (PublishedEvent<ShipmentRequested> shipment :
        mesh.published(ShipmentRequested.class).now()) {
      assertThat(mesh.ancestors(shipment)).hasSize(1).allMatch(orderRefs::contains);
    }
  }

  @Test
  void consumersReceiveEventsAndDerivedEventsNameTheirParents(TestMesh mesh) {
    List<String> shipped = new CopyOnWriteArrayList<>();
    MeshProducer<ShipmentRequested> shipments = mesh.producer(ShipmentRequested.class);
    MeshProducer<InvoiceSent> invoices = mesh.producer(InvoiceSent.class);
    mesh.consumer(OrderPlaced.class)
        .group("shipping")
        .startFrom(StartPosition.earliest())
        .handle(
            e -> {
              shipped.add(e.value().orderId());
              shipments.send(new ShipmentRequested(e.value().orderId(), "dhl")).join();
            })
        .start();
    mesh.consumer(ShipmentRequested.class)
        .group("billing")
        .startFrom(StartPosition.earliest())
        .handle(e -> invoices.send(new InvoiceSent(e.value().orderId(), 100)).join())
        .start();

    mesh.producer(OrderPlaced.class).send(new OrderPlaced("o-7", 700)).join();

    PublishedEvent<OrderPlaced> order = mesh.published(OrderPlaced.class).now().get(0);
    assertThat(mesh.published(ShipmentRequested.class))
        .hasSize(1)
        .first()
        .hasKey("o-7")
        .hasParent(order);
    assertThat(mesh.published(InvoiceSent.class)).hasSize(1);
    PublishedEvent<InvoiceSent> invoice = mesh.published(InvoiceSent.class).now().get(0);
    PublishedEvent<ShipmentRequested> shipment =
        mesh.published(ShipmentRequested.class).now().get(0);
    assertThat(mesh.ancestors(invoice)).containsExactly(shipment.ref(), order.ref());
    assertThat(shipped).containsExactly("o-7");
    assertThatMetrics(mesh)
        .hasCount(MeshMetrics.CONSUME, 1, "group", "shipping", "outcome", "success")
        .hasCount(MeshMetrics.PRODUCE, 1, "product", "orders.order-placed");
    String topic = mesh.topicOf(OrderPlaced.class);
    assertThat(mesh.traces())
        .hasParentChild("publish " + topic, "process " + topic)
        .hasSpan("publish " + topic)
        .hasKind(SpanKind.PRODUCER)
        .hasAttribute("messaging.destination.name", topic);
  }

  @Test
  void poisonPillsAreDeadLetteredAndVisible(TestMesh mesh) {
    List<String> seen = new CopyOnWriteArrayList<>();
    mesh.producer(OrderPlaced.class).send(new OrderPlaced("o-1", 1)).join();
    String topic = mesh.topicOf(OrderPlaced.class);
    String at = mesh.sendRaw(topic, "o-2".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
    mesh.consumer(OrderPlaced.class)
        .group("shipping")
        .startFrom(StartPosition.earliest())
        .handle(e -> seen.add(e.value().orderId()))
        .start();

    assertThat(mesh.deadLetters("shipping"))
        .hasSize(1)
        .first()
        .hasReason(FailureReason.TRUNCATED)
        .hasOriginalTopic(topic)
        .hasOriginalOffset(Long.parseLong(at.substring(at.indexOf('@') + 1)));
    assertThatMetrics(mesh).hasCount(MeshMetrics.DLQ, 1, "reason", "truncated");
    assertThat(seen).containsExactly("o-1");
  }

  @Test
  void aFailingAssertionSaysWhatItWaitedForAndWhatItFound(TestMesh mesh) {
    mesh.producer(OrderPlaced.class).send(new OrderPlaced("o-1", 1)).join();

    assertThatThrownBy(
            () ->
                MeshAssertions.assertThat(
                        new PublishedEvents<>(
                            "the events published to x",
                            () -> mesh.published(OrderPlaced.class).now(),
                            java.time.Duration.ofMillis(50)))
                    .hasSize(2))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the events published to x")
        .hasMessageContaining("hold 2 events")
        .hasMessageContaining("o-1");
    assertThatThrownBy(() -> assertThat(mesh.published(OrderPlaced.class)).first().hasKey("o-9"))
        .hasMessageContaining("to have key <o-9> but it was <o-1>");
    assertThatThrownBy(
            () ->
                assertThat(mesh.published(OrderPlaced.class))
                    .first()
                    .hasParent(new EventRef("x.y.v1", "id", "t", 0, 0)))
        .hasMessageContaining("to have parent");
  }

  @Test
  void staysEmptyForWatchesTheWholePeriodAndFailsAtTheFirstArrival(TestMesh mesh) {
    mesh.consumer(OrderPlaced.class).group("shipping").handle(e -> {}).start();
    assertThat(mesh.published(ShipmentRequested.class)).staysEmptyFor(Duration.ofMillis(150));
    assertThat(mesh.deadLetters("shipping")).staysEmptyFor(Duration.ofMillis(150));

    // an event that arrives on the fourth read: one read (isEmpty) would pass, watching fails
    mesh.producer(OrderPlaced.class).send(new OrderPlaced("o-1", 1)).join();
    List<PublishedEvent<OrderPlaced>> one = mesh.published(OrderPlaced.class).now();
    AtomicInteger reads = new AtomicInteger();
    PublishedEvents<OrderPlaced> late =
        new PublishedEvents<>(
            "the events published to x",
            () -> reads.incrementAndGet() < 4 ? List.of() : one,
            Duration.ofSeconds(5));
    assertThat(late).isEmpty();
    assertThatThrownBy(() -> assertThat(late).staysEmptyFor(Duration.ofSeconds(30)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the events published to x to stay empty for PT30S")
        .hasMessageContaining("found 1")
        .hasMessageContaining("o-1");
    assertThat(reads.get()).isEqualTo(4); // failed at the arrival, not after 30 s
    assertThatThrownBy(() -> assertThat(late).staysEmptyFor(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void metricAssertionsListTheMetersThatExist(TestMesh mesh) {
    mesh.producer(OrderPlaced.class).send(new OrderPlaced("o-1", 1)).join();

    assertThatThrownBy(
            () ->
                new MetricsAssert(mesh.metrics(), java.time.Duration.ofMillis(50))
                    .hasCount(MeshMetrics.PRODUCE, 5))
        .hasMessageContaining("mesh.produce to count 5")
        .hasMessageContaining("count=1");
  }
}
