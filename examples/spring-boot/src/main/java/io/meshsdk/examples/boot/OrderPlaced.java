package io.meshsdk.examples.boot;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import io.meshsdk.schema.Compatibility;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * The orders domain's product, as the shipping service sees it (in a real mesh it comes from the
 * orders team's contract jar; the quick start's {@code OrderPlaced} 1.0).
 */
@DataProduct(
    domain = "orders",
    name = "order-placed",
    version = "1.0",
    owner = "team-orders",
    description = "An order accepted from a customer.",
    compatibility = Compatibility.FULL_TRANSITIVE,
    freshness = "PT5M")
public record OrderPlaced(
    @Key @Doc("Order id") String orderId,
    @Pii @Email @Doc("Customer e-mail") String customerEmail,
    @Positive @Doc("Total in cents") long amountCents,
    @NotBlank @Size(min = 3, max = 3) @Doc("ISO-4217 currency code") String currency,
    @Doc("When the customer placed the order") Instant placedAt) {}
