package io.meshsdk.examples.shipping;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.EnumDefault;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductKind;
import java.time.Instant;

/** The latest shipment status per order: a {@code STATE} product on a compacted topic. */
@DataProduct(
    domain = "shipping",
    name = "shipment-status",
    version = "1.0",
    owner = "team-shipping",
    description = "Latest shipment status per order.",
    kind = ProductKind.STATE,
    partitions = 3)
public record ShipmentStatus(
    @Key @Doc("Order id") String orderId,
    @Doc("Status") Status status,
    @Doc("When the status changed") Instant updatedAt) {

  /** Shipment states. */
  public enum Status {
    /** Shipping was requested. */
    REQUESTED,
    /** Handed to the carrier. */
    SHIPPED,
    /** A status this reader does not know. */
    @EnumDefault
    UNKNOWN
  }
}
