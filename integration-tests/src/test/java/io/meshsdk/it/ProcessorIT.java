package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.LineageScope;
import io.meshsdk.processor.MeshProcessor;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.producer.SendResult;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.MeshDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProcessorIT {
  @DataProduct(
      domain = "chain",
      name = "order-placed",
      version = "1.0",
      owner = "team-orders",
      description = "An order.")
  record Order(@Key @Doc("Id") String id, @Doc("Items") int items) {}

  @DataProduct(
      domain = "chain",
      name = "shipment-requested",
      version = "1.0",
      owner = "team-shipping",
      description = "A shipment.")
  record Shipment(@Key @Doc("Id") String id, @Doc("Order") String orderId) {}

  @DataProduct(
      domain = "chain",
      name = "parcel-labelled",
      version = "1.0",
      owner = "team-shipping",
      description = "A label.")
  record Label(@Key @Doc("Id") String id, @Doc("Shipment") String shipmentId) {}

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final Mesh mesh = Broker.mesh("shipping", registry).build();

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  @Test
  void aThreeHopChainKeepsLineageReconstructable() throws Exception {
    MeshProducer<Order> orders = mesh.producer(Order.class);
    mesh.processor(Order.class, Shipment.class)
        .group("shipper")
        .process(
            (event, out) -> out.send(new Shipment("s-" + event.value().id(), event.value().id())))
        .start();
    MeshProducer<Label> labels = mesh.producer(Label.class);
    List<ConsumedEvent<Shipment>> shipments = new CopyOnWriteArrayList<>();
    mesh.consumer(Shipment.class)
        .group("labeller")
        .handle(
            e -> {
              shipments.add(e);
              // produced inside the handler: lists the shipment as parent with no code
              labels
                  .send(new Label("l-" + e.value().id(), e.value().id()))
                  .get(30, TimeUnit.SECONDS);
            })
        .start();
    List<ConsumedEvent<Label>> received = new CopyOnWriteArrayList<>();
    mesh.consumer(Label.class).group("audit").handle(received::add).start();

    SendResult order = orders.send(new Order("o-1", 2)).get(30, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == 1);
    ConsumedEvent<Label> label = received.get(0);
    ConsumedEvent<Shipment> shipment = shipments.get(0);
    EventRef shipmentRef = label.lineage().parents().get(0);
    assertThat(shipmentRef).isEqualTo(shipment.lineage().self());
    EventRef orderRef = shipment.lineage().parents().get(0);
    assertThat(orderRef.id()).isEqualTo(order.eventId());
    assertThat(orderRef.type()).isEqualTo("chain.order-placed.v1");
    assertThat(orderRef.topic()).isEqualTo(order.topic());
    assertThat(orderRef.partition()).isEqualTo(order.partition());
    assertThat(orderRef.offset()).isEqualTo(order.offset());
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its effect on the thread, not referenced
  void parentsCanBeCarriedToAnotherThreadByHand() throws Exception {
    MeshProducer<Shipment> producer = mesh.producer(Shipment.class);
    EventRef parent =
        new EventRef("chain.order-placed.v1", "manual-id", "chain.order-placed.v1", 0, 42);
    SendResult sent =
        java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                  try (LineageScope scope = LineageScope.open(parent)) {
                    return producer.send(new Shipment("s-manual", "o-manual")).join();
                  }
                })
            .get(30, TimeUnit.SECONDS);
    MeshDeserializer<Shipment> decode =
        MeshDeserializer.of(ProductContract.of(Shipment.class), registry);
    ConsumerRecord<byte[], byte[]> raw =
        Broker.readAll(sent.topic(), 1, false).stream()
            .filter(r -> r.offset() == sent.offset())
            .findFirst()
            .orElseThrow();
    assertThat(decode.deserialize(sent.topic(), raw.value()).id()).isEqualTo("s-manual");
    assertThat(
            new String(
                raw.headers().lastHeader("ce_meshparents").value(),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(parent.toString());
  }

  @DataProduct(
      domain = "eos",
      name = "payment-received",
      version = "1.0",
      owner = "team-pay",
      description = "A payment.")
  record Payment(@Key @Doc("Id") String id) {}

  @DataProduct(
      domain = "eos",
      name = "receipt-issued",
      version = "1.0",
      owner = "team-pay",
      description = "A receipt.")
  record Receipt(@Key @Doc("Id") String id, @Doc("Copy") int copy) {}

  @Test
  void exactlyOnceWithAnInjectedFailureProducesNoDuplicates() throws Exception {
    MeshProducer<Payment> payments = mesh.producer(Payment.class);
    int n = 50;
    for (int i = 0; i < n; i++) {
      payments.send(new Payment("p-" + i));
    }
    payments.flush();
    AtomicInteger calls = new AtomicInteger();
    Map<String, Integer> attempts = new ConcurrentHashMap<>();
    MeshProcessor<Payment, Receipt> processor =
        mesh.processor(Payment.class, Receipt.class)
            .group("receipts")
            .exactlyOnce()
            .backoff(Duration.ofMillis(20), Duration.ofMillis(100))
            .process(
                (event, out) -> {
                  calls.incrementAndGet();
                  String id = event.value().id();
                  // two outputs per input, then a failure in the middle of the batch on first try
                  out.send(new Receipt("r-" + id, 1));
                  out.send(new Receipt("r-" + id, 2));
                  if (id.equals("p-25") && attempts.merge(id, 1, Integer::sum) == 1) {
                    throw new IllegalStateException("printer jammed");
                  }
                })
            .start();

    List<ConsumerRecord<byte[], byte[]>> committed =
        Broker.readAll("eos.receipt-issued.v1", 2 * n, true);
    MeshDeserializer<Receipt> decode =
        MeshDeserializer.of(ProductContract.of(Receipt.class), registry);
    List<String> receipts = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : committed) {
      Receipt receipt = decode.deserialize(r.topic(), r.value());
      receipts.add(receipt.id() + "#" + receipt.copy());
    }
    assertThat(receipts).hasSize(2 * n).doesNotHaveDuplicates();
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < n; i++) {
      expected.add("r-p-" + i + "#1");
      expected.add("r-p-" + i + "#2");
    }
    assertThat(new HashSet<>(receipts)).isEqualTo(expected);
    assertThat(calls.get()).isGreaterThan(n); // the failed batch really was processed again
    assertThat(processor.isRunning()).isTrue();
  }
}
