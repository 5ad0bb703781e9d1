package io.meshsdk.examples.orders;

import io.meshsdk.migration.Migration;
import io.meshsdk.migration.Migrations;

/** The orders domain's migrations between the majors of {@code OrderPlaced}. */
public final class OrderMigrations {
  private OrderMigrations() {}

  /** 1.x to 2.0 and back: the amount moves into {@link Money}; a missing channel becomes "web". */
  public static final Migration<OrderPlaced, OrderPlacedV2> V1_TO_V2 =
      Migration.of(
              OrderPlaced.class,
              OrderPlacedV2.class,
              v1 ->
                  new OrderPlacedV2(
                      v1.orderId(),
                      v1.customerEmail(),
                      new Money(v1.amountCents(), v1.currency()),
                      v1.placedAt(),
                      v1.channel() != null ? v1.channel() : "web",
                      null))
          .withDowncast(
              v2 ->
                  new OrderPlaced(
                      v2.orderId(),
                      v2.customerEmail(),
                      v2.total().minor(),
                      v2.total().currency(),
                      v2.placedAt(),
                      v2.channel()));

  /** Every migration of the domain, to give to the mesh. */
  public static final Migrations ALL = Migrations.of(V1_TO_V2);
}
