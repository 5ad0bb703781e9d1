package io.meshsdk.examples.shipping;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import jakarta.validation.constraints.NotBlank;

/**
 * Shipping was requested for an order; derived from {@code OrderPlaced}, whose event it names as
 * parent (lineage is stamped by the SDK).
 */
@DataProduct(
    domain = "shipping",
    name = "shipment-requested",
    version = "1.0",
    owner = "team-shipping",
    description = "Shipping was requested for an order.",
    partitions = 3)
public record ShipmentRequested(
    @Key @Doc("Order id") String orderId,
    @NotBlank @Doc("Shipment id") String shipmentId,
    @NotBlank @Doc("Carrier chosen for the order's currency zone") String carrier) {}
