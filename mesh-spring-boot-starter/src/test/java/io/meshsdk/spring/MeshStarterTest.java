package io.meshsdk.spring;

import static io.meshsdk.testkit.MeshAssertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.spring.actuate.MeshHealthIndicator;
import io.meshsdk.spring.actuate.MeshInfoContributor;
import io.meshsdk.spring.fixtures.OrderPlaced;
import io.meshsdk.spring.fixtures.ShipmentRequested;
import io.meshsdk.spring.listener.MeshListener;
import io.meshsdk.spring.listener.MeshListeners;
import io.meshsdk.spring.test.AutoConfigureTestMesh;
import io.meshsdk.testkit.TestMesh;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

/**
 * A Spring Boot application on the starter, its mesh replaced by the testkit's in-memory one: a
 * listener of orders that requests shipments through an injected producer.
 */
@SpringBootTest(
    properties = {
      "spring.application.name=shipping-service",
      "shipping.group=shipping",
      "mesh.topic-prefix=staging."
    })
@AutoConfigureTestMesh
class MeshStarterTest {
  @Autowired TestMesh mesh;
  @Autowired Mesh anyMesh;
  @Autowired MeshProducer<OrderPlaced> orders;
  @Autowired Shipping shipping;
  @Autowired MeshListeners listeners;
  @Autowired MeshHealthIndicator health;
  @Autowired MeshInfoContributor info;

  @Test
  void theTestMeshIsTheContextsOnlyMesh() {
    assertThat(anyMesh).isSameAs(mesh);
    assertThat(mesh.application()).isEqualTo("shipping-service");
  }

  @Test
  void injectsTheProducerOfEachProductByItsGenericType() {
    assertThat(orders.contract().type()).isEqualTo(OrderPlaced.class);
    assertThat(shipping.shipments.contract().type()).isEqualTo(ShipmentRequested.class);
    assertThat(shipping.sameShipments).as("one producer per product").isSameAs(shipping.shipments);
  }

  @Test
  void aListenerReceivesOrdersAndItsProducedEventsNameThemAsParent() {
    orders.send(new OrderPlaced("o-1", 4200, "EUR")).join();

    assertThat(mesh.published(ShipmentRequested.class))
        .hasSize(1)
        .first()
        .hasKey("o-1")
        .hasValue(new ShipmentRequested("o-1", "dhl"))
        .hasParent(mesh.published(OrderPlaced.class).now().get(0));
    await().until(() -> shipping.events.size() == 1);
    assertThat(shipping.events.get(0).key()).isEqualTo("o-1");
  }

  @Test
  void listenersTakeTheirGroupFromAPlaceholderAndRunWithTheContext() {
    assertThat(listeners.listeners())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.id()).isEqualTo("shipping.on");
              assertThat(l.group()).isEqualTo("shipping");
              assertThat(l.topic()).isEqualTo("staging.orders.order-placed.v1");
            });
    assertThat(listeners.isRunning()).isTrue();
    await().until(() -> listeners.listeners().get(0).state() == MeshConsumer.State.RUNNING);
  }

  @Test
  void healthIsUpWithBrokerRegistryAndRunningConsumer() {
    await()
        .untilAsserted(
            () -> {
              var h = health.health();
              assertThat(h.getStatus()).as("%s", h.getDetails()).isEqualTo(Status.UP);
              assertThat(h.getDetails()).containsKeys("broker", "registry", "consumers");
              @SuppressWarnings("unchecked")
              Map<String, Map<String, Object>> consumers =
                  (Map<String, Map<String, Object>>) h.getDetails().get("consumers");
              assertThat(consumers.get("shipping.on")).containsEntry("state", "RUNNING");
            });
  }

  @Test
  void infoListsTheProductsProducedAndConsumed() {
    Info.Builder builder = new Info.Builder();
    info.contribute(builder);
    @SuppressWarnings("unchecked")
    Map<String, Object> mesh = (Map<String, Object>) builder.build().getDetails().get("mesh");
    assertThat(mesh).containsEntry("application", "shipping-service");
    assertThat(mesh.get("produces").toString())
        .contains("orders.order-placed", "shipping.shipment-requested", "version=1.0");
    assertThat(mesh.get("produces").toString())
        .as("the topics of mesh.topic-prefix")
        .contains("topic=staging.orders.order-placed.v1", "topic=staging.shipping.")
        .doesNotContain("topic=orders.");
    assertThat(mesh.get("consumes").toString())
        .contains("orders.order-placed", "group=shipping", "topic=staging.orders.order-placed.v1");
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Shipping.class)
  static class App {}

  @Component("shipping")
  static class Shipping {
    final MeshProducer<ShipmentRequested> shipments;
    final MeshProducer<ShipmentRequested> sameShipments;
    final List<ConsumedEvent<OrderPlaced>> events = new CopyOnWriteArrayList<>();

    Shipping(
        MeshProducer<ShipmentRequested> shipments, MeshProducer<ShipmentRequested> sameShipments) {
      this.shipments = shipments;
      this.sameShipments = sameShipments;
    }

    @MeshListener(group = "${shipping.group}")
    void on(ConsumedEvent<OrderPlaced> event) {
      events.add(event);
      shipments.send(new ShipmentRequested(event.value().orderId(), "dhl")).join();
    }
  }
}
