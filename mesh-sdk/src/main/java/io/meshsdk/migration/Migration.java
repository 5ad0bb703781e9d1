package io.meshsdk.migration;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A typed migration from one major version of a product to the next: an upcast from the older class
 * to the newer, and optionally a downcast back. Plain Java functions; register them with {@link
 * Migrations#of(Migration...)} and give them to the mesh ({@code Mesh.builder().migrations(...)}).
 *
 * <pre>{@code
 * Migration<OrderPlacedV1, OrderPlacedV2> v1ToV2 =
 *     Migration.of(OrderPlacedV1.class, OrderPlacedV2.class,
 *             v1 -> new OrderPlacedV2(v1.orderId(), Money.ofCents(v1.amountCents(), v1.currency())))
 *         .withDowncast(
 *             v2 -> new OrderPlacedV1(v2.orderId(), v2.total().cents(), v2.total().currency()));
 * }</pre>
 *
 * <p>Thread-safety: immutable; the functions must be thread-safe (they are called from consumer and
 * producer threads).
 *
 * @param <O> the older major's class
 * @param <N> the newer major's class
 */
public final class Migration<O, N> {
  private final ProductContract<O> older;
  private final ProductContract<N> newer;
  private final Function<? super O, ? extends N> upcast;
  private final @Nullable Function<? super N, ? extends O> downcast;

  private Migration(
      ProductContract<O> older,
      ProductContract<N> newer,
      Function<? super O, ? extends N> upcast,
      @Nullable Function<? super N, ? extends O> downcast) {
    this.older = older;
    this.newer = newer;
    this.upcast = upcast;
    this.downcast = downcast;
  }

  /**
   * A migration from one major to the next.
   *
   * @param older the class of major N
   * @param newer the class of major N + 1 of the same product (domain and name)
   * @param upcast maps an N value to an N + 1 value
   * @param <O> the older type
   * @param <N> the newer type
   * @return the migration, without a downcast
   * @throws MeshConfigurationException if the classes are not products, not of the same product, or
   *     not consecutive majors
   */
  public static <O, N> Migration<O, N> of(
      Class<O> older, Class<N> newer, Function<? super O, ? extends N> upcast) {
    Objects.requireNonNull(older, "older");
    Objects.requireNonNull(newer, "newer");
    Objects.requireNonNull(upcast, "upcast");
    ProductContract<O> o = ProductContract.of(older);
    ProductContract<N> n = ProductContract.of(newer);
    if (!o.domain().equals(n.domain()) || !o.name().equals(n.name())) {
      throw new MeshConfigurationException(
          "a migration maps versions of one product: "
              + older.getSimpleName()
              + " is "
              + o.id()
              + ", "
              + newer.getSimpleName()
              + " is "
              + n.id());
    }
    if (n.version().major() != o.version().major() + 1) {
      throw new MeshConfigurationException(
          "a migration maps one major to the next: "
              + older.getSimpleName()
              + " is v"
              + o.version().major()
              + ", "
              + newer.getSimpleName()
              + " is v"
              + n.version().major()
              + (n.version().major() > o.version().major() + 1
                  ? " (register one migration per step; they compose)"
                  : ""));
    }
    return new Migration<>(o, n, upcast, null);
  }

  /**
   * The same migration with a downcast from the newer major back to the older (needed for dual
   * publishing and for consumers of the older major reading the newer topic).
   *
   * @param downcast maps an N + 1 value to an N value
   * @return a new migration
   */
  public Migration<O, N> withDowncast(Function<? super N, ? extends O> downcast) {
    return new Migration<>(older, newer, upcast, Objects.requireNonNull(downcast, "downcast"));
  }

  /**
   * The older major's contract.
   *
   * @return the contract
   */
  public ProductContract<O> older() {
    return older;
  }

  /**
   * The newer major's contract.
   *
   * @return the contract
   */
  public ProductContract<N> newer() {
    return newer;
  }

  /**
   * The product, as {@code domain.name}.
   *
   * @return the product id
   */
  public String product() {
    return older.id();
  }

  /**
   * The older major.
   *
   * @return the major
   */
  public int fromMajor() {
    return older.version().major();
  }

  /**
   * Whether a downcast was given.
   *
   * @return {@code true} if {@link #downcast} works
   */
  public boolean hasDowncast() {
    return downcast != null;
  }

  /**
   * Maps an older value to the newer major.
   *
   * @param value the older value
   * @return the newer value
   * @throws MigrationException if the function fails or returns null
   */
  public N upcast(O value) {
    return apply(upcast, value, fromMajor(), fromMajor() + 1);
  }

  /**
   * Maps a newer value back to the older major.
   *
   * @param value the newer value
   * @return the older value
   * @throws IllegalStateException if no downcast was given
   * @throws MigrationException if the function fails or returns null
   */
  public O downcast(N value) {
    if (downcast == null) {
      throw new IllegalStateException(this + " has no downcast");
    }
    return apply(downcast, value, fromMajor() + 1, fromMajor());
  }

  private <A, B> B apply(Function<? super A, ? extends B> f, A value, int from, int to) {
    Objects.requireNonNull(value, "value");
    B result;
    try {
      result = f.apply(value);
    } catch (RuntimeException e) {
      throw new MigrationException(
          product() + ": migrating v" + from + " to v" + to + " failed: " + e, e);
    }
    if (result == null) {
      throw new MigrationException(
          product() + ": migrating v" + from + " to v" + to + " returned null",
          new NullPointerException("migration result"));
    }
    return result;
  }

  @Override
  public String toString() {
    return "Migration["
        + product()
        + " v"
        + fromMajor()
        + " ("
        + older.type().getSimpleName()
        + ") -> v"
        + (fromMajor() + 1)
        + " ("
        + newer.type().getSimpleName()
        + ")"
        + (downcast != null ? ", with downcast" : "")
        + "]";
  }
}
