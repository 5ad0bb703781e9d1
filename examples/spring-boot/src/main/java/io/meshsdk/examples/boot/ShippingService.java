package io.meshsdk.examples.boot;

import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.spring.listener.MeshListener;
import org.springframework.stereotype.Service;

/**
 * The shipping domain as a Spring Boot service: for each order placed, request a shipment. The
 * listener's consumer starts with the application and stops gracefully with it; a failure is
 * retried with backoff and then dead-lettered; the shipment names the order as its parent.
 */
@Service
public class ShippingService {
  private final MeshProducer<ShipmentRequested> shipments;
  private final Carriers carriers;

  /**
   * Creates the service.
   *
   * @param shipments the producer of shipments, injected by its product type
   * @param carriers the carrier table
   */
  public ShippingService(MeshProducer<ShipmentRequested> shipments, Carriers carriers) {
    this.shipments = shipments;
    this.carriers = carriers;
  }

  /**
   * Requests the shipment of an order.
   *
   * @param event the order, with its key, headers and lineage
   */
  @MeshListener(
      group = "${shipping.group:shipping}",
      maxAttempts = "3",
      backoff = "20ms",
      maxBackoff = "100ms")
  public void onOrderPlaced(ConsumedEvent<OrderPlaced> event) {
    OrderPlaced order = event.value();
    String carrier = carriers.forCurrency(order.currency());
    shipments.send(new ShipmentRequested(order.orderId(), "s-" + order.orderId(), carrier)).join();
  }
}
