package io.meshsdk.serde;

/**
 * Bounds on the work of reading one record, so that data written with a schema the SDK did not
 * derive (a recursive type, an array of zero-byte elements) cannot stall or crash a reader:
 *
 * <ul>
 *   <li>{@link #maxDepth()}: how deeply records, arrays and maps may nest in one value (default
 *       {@value #DEFAULT_MAX_DEPTH}, as Protocol Buffers' parsers);
 *   <li>{@link #maxElements()}: how many array items and map entries one value may hold in all
 *       (default {@value #DEFAULT_MAX_ELEMENTS}; a value this large rarely fits Kafka's default
 *       message size of 1 MiB anyway).
 * </ul>
 *
 * <p>Whatever the limits, a record may hold no more array items and map entries than it has bytes:
 * an element takes at least one byte unless its type is empty ({@code null}, a record without
 * fields, a {@code fixed} of size 0), and only hostile data announces millions of empty elements in
 * a few bytes. A record over a bound fails with {@link
 * RecordDecodingException.Reason#LIMIT_EXCEEDED} (a consumer dead-letters it) before the decoder
 * descends into it, so the work to read or skip any record is proportional to its size. Writer
 * schemas whose data cannot exceed the bounds (not recursive, no arrays or maps of zero-byte
 * elements, nesting within {@code maxDepth}) cost nothing extra: the check runs only for schemas
 * where it matters, and for records larger than {@code maxElements} bytes.
 *
 * <p>Thread-safety: immutable.
 */
public final class DecodeLimits {
  /** The default {@link #maxDepth()}. */
  public static final int DEFAULT_MAX_DEPTH = 100;

  /** The default {@link #maxElements()}. */
  public static final int DEFAULT_MAX_ELEMENTS = 1_000_000;

  private static final DecodeLimits DEFAULTS =
      new DecodeLimits(DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS);

  private final int maxDepth;
  private final int maxElements;

  private DecodeLimits(int maxDepth, int maxElements) {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be at least 1, got " + maxDepth);
    }
    if (maxElements < 0) {
      throw new IllegalArgumentException("maxElements must not be negative, got " + maxElements);
    }
    this.maxDepth = maxDepth;
    this.maxElements = maxElements;
  }

  /**
   * The default limits.
   *
   * @return depth {@value #DEFAULT_MAX_DEPTH}, elements {@value #DEFAULT_MAX_ELEMENTS}
   */
  public static DecodeLimits defaults() {
    return DEFAULTS;
  }

  /**
   * These limits with another depth.
   *
   * @param depth how deeply records, arrays and maps may nest; the root record is depth 1
   * @return new limits
   * @throws IllegalArgumentException if {@code depth < 1}
   */
  public DecodeLimits maxDepth(int depth) {
    return new DecodeLimits(depth, maxElements);
  }

  /**
   * These limits with another element count.
   *
   * @param elements array items plus map entries allowed in one record, 0 or more
   * @return new limits
   * @throws IllegalArgumentException if {@code elements < 0}
   */
  public DecodeLimits maxElements(int elements) {
    return new DecodeLimits(maxDepth, elements);
  }

  /**
   * How deeply records, arrays and maps may nest in one value; the root record is depth 1.
   *
   * @return the depth
   */
  public int maxDepth() {
    return maxDepth;
  }

  /**
   * How many array items and map entries one value may hold in all.
   *
   * @return the count
   */
  public int maxElements() {
    return maxElements;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DecodeLimits l && l.maxDepth == maxDepth && l.maxElements == maxElements;
  }

  @Override
  public int hashCode() {
    return 31 * maxDepth + maxElements;
  }

  @Override
  public String toString() {
    return "DecodeLimits[maxDepth=" + maxDepth + ", maxElements=" + maxElements + "]";
  }
}
