package io.meshsdk.examples.analytics;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import java.time.Instant;

/**
 * Analytics' own reader of {@code OrderPlaced}: version 1.0 and only the fields it needs. Schema
 * resolution reads 1.0 and 1.1 records (and the translations of 2.0) into it.
 */
@DataProduct(
    domain = "orders",
    name = "order-placed",
    version = "1.0",
    owner = "team-analytics",
    description = "What analytics reads of an order.")
public record OrderHistoryView(
    @Key @Doc("Order id") String orderId,
    @Doc("Total in cents") long amountCents,
    @Doc("ISO-4217 currency code") String currency,
    @Doc("When the customer placed the order") Instant placedAt) {}
