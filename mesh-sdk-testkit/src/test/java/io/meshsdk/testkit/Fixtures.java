package io.meshsdk.testkit;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;

/** Products used by the extension's tests. */
final class Fixtures {
  private Fixtures() {}

  @DataProduct(
      domain = "orders",
      name = "order-placed",
      version = "1.0",
      owner = "team-orders",
      description = "An order was placed.",
      partitions = 3)
  record OrderPlaced(@Key @Doc("Order id") String orderId, @Doc("Total in cents") long cents) {}

  @DataProduct(
      domain = "shipping",
      name = "shipment-requested",
      version = "1.0",
      owner = "team-shipping",
      description = "Shipping was requested for an order.")
  record ShipmentRequested(@Key @Doc("Order id") String orderId, @Doc("Carrier") String carrier) {}

  @DataProduct(
      domain = "billing",
      name = "invoice-sent",
      version = "1.0",
      owner = "team-billing",
      description = "An invoice went out for a shipment.")
  record InvoiceSent(@Key @Doc("Order id") String orderId, @Doc("Amount in cents") long cents) {}

  @DataProduct(
      domain = "customers",
      name = "customer-tier",
      version = "1.0",
      owner = "team-customers",
      description = "The tier of a customer.",
      kind = io.meshsdk.contract.ProductKind.STATE)
  record CustomerTier(@Key @Doc("Customer") String customer, @Doc("Tier") String tier) {}
}
