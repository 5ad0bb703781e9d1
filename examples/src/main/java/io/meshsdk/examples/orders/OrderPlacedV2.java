package io.meshsdk.examples.orders;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import io.meshsdk.schema.Compatibility;
import jakarta.validation.constraints.Email;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * {@code OrderPlaced} 2.0, a breaking change: the amount and its currency become one {@link Money}
 * field, and the channel is required. It lives on {@code orders.order-placed.v2}; during the
 * migration period the orders domain also publishes each event, translated, to v1.
 */
@DataProduct(
    domain = "orders",
    name = "order-placed",
    version = "2.0",
    owner = "team-orders",
    description = "An order accepted from a customer.",
    compatibility = Compatibility.FULL_TRANSITIVE,
    freshness = "PT5M")
public record OrderPlacedV2(
    @Key @Doc("Order id") String orderId,
    @Pii @Email @Doc("Customer e-mail") String customerEmail,
    @Doc("Order total") Money total,
    @Doc("When the customer placed the order") Instant placedAt,
    @Doc("Sales channel: web, app, store") String channel,
    @Doc("Coupon applied, if any") @Nullable String coupon) {}
