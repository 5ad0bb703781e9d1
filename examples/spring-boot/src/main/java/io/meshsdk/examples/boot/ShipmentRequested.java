package io.meshsdk.examples.boot;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.schema.Compatibility;
import jakarta.validation.constraints.NotBlank;

/** Shipping was requested for an order; names the order event as parent (lineage). */
@DataProduct(
    domain = "shipping",
    name = "shipment-requested",
    version = "1.0",
    owner = "team-shipping",
    description = "Shipping was requested for an order.",
    compatibility = Compatibility.FULL_TRANSITIVE,
    partitions = 3)
public record ShipmentRequested(
    @Key @Doc("Order id") String orderId,
    @NotBlank @Doc("Shipment id") String shipmentId,
    @NotBlank @Doc("Carrier chosen for the order's currency zone") String carrier) {}
