package io.meshsdk.examples.analytics;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductKind;

/**
 * The analytics domain's {@code STATE} product, computed with Kafka Streams ({@link
 * RevenueStreams}): revenue so far per currency, the latest value per key on a compacted topic.
 */
@DataProduct(
    domain = "analytics",
    name = "revenue-per-currency",
    version = "1.0",
    owner = "team-analytics",
    description = "Revenue of every order placed so far, per currency.",
    kind = ProductKind.STATE)
public record RevenuePerCurrency(
    @Key @Doc("ISO-4217 currency code") String currency,
    @Doc("Sum of the orders' totals in cents") long cents,
    @Doc("How many orders") long orders) {}
