package io.meshsdk.serde.internal;

import io.meshsdk.serde.RecordDecodingException;
import org.jspecify.annotations.Nullable;

/**
 * How to read data of one writer schema: directly (same layout as the reader), through a cached
 * resolver, or not at all (incompatible, with the reason kept so every record fails the same way
 * without checking again); with the writer's {@link DataBounds}. Built once per writer schema.
 */
public final class ReadPlan<T> {
  private final boolean identical;
  private final @Nullable RecordDecodingException failure;
  private final @Nullable Object state;
  private final @Nullable DataBounds bounds;

  ReadPlan(boolean identical, @Nullable RecordDecodingException failure, @Nullable Object state) {
    this(identical, failure, state, null);
  }

  private ReadPlan(
      boolean identical,
      @Nullable RecordDecodingException failure,
      @Nullable Object state,
      @Nullable DataBounds bounds) {
    this.identical = identical;
    this.failure = failure;
    this.state = state;
    this.bounds = bounds;
  }

  /** This plan, checking each record against the writer schema's bounds before reading it. */
  ReadPlan<T> bounded(DataBounds bounds) {
    return new ReadPlan<>(identical, failure, state, bounds);
  }

  /** The bounds to check before reading a record of this writer, or null when none apply. */
  @Nullable DataBounds bounds() {
    return bounds;
  }

  static <T> ReadPlan<T> incompatible(RecordDecodingException failure) {
    return new ReadPlan<>(false, failure, null);
  }

  /** Whether the writer's layout equals the reader's, so no resolution is needed. */
  public boolean identical() {
    return identical;
  }

  /** The failure every record of this writer gets, or null when readable. */
  public @Nullable RecordDecodingException failure() {
    return failure;
  }

  @Nullable Object state() {
    return state;
  }
}
