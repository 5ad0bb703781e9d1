package io.meshsdk.examples.orders;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import io.meshsdk.contract.Since;
import io.meshsdk.contract.Sunset;
import io.meshsdk.schema.Compatibility;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The orders domain's {@code OrderPlaced} at version 1.1: the quick start's 1.0 plus an optional
 * sales channel, a compatible change on the same topic. The schema keeps the name it had at 1.0
 * ({@code schemaName}), since the class moved packages. Deprecated by 2.0 ({@link OrderPlacedV2}).
 */
@DataProduct(
    domain = "orders",
    name = "order-placed",
    version = "1.1",
    owner = "team-orders",
    description = "An order accepted from a customer.",
    compatibility = Compatibility.FULL_TRANSITIVE,
    freshness = "PT5M",
    schemaName = "io.meshsdk.examples.quickstart.OrderPlaced")
@Sunset(date = "2027-06-30", announced = "2026-11-25")
public record OrderPlaced(
    @Key @Doc("Order id") String orderId,
    @Pii @Email @Doc("Customer e-mail") String customerEmail,
    @Positive @Doc("Total in cents") long amountCents,
    @NotBlank @Size(min = 3, max = 3) @Doc("ISO-4217 currency code") String currency,
    @Doc("When the customer placed the order") Instant placedAt,
    @Since("1.1") @Doc("Sales channel: web, app, store") @Nullable String channel) {}
