package io.meshsdk.testkit;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the spans a mesh recorded ({@code assertThat(mesh.traces())}); they wait up to the
 * mesh's timeout, since spans end on the clients' threads.
 *
 * <pre>{@code
 * assertThat(mesh.traces()).hasParentChild("publish " + topic, "process " + topic);
 * }</pre>
 *
 * <p>Thread-safety: not thread-safe; one per assertion chain.
 */
public final class TracesAssert extends AbstractAssert<TracesAssert, Traces> {

  TracesAssert(Traces actual) {
    super(actual, TracesAssert.class);
    isNotNull();
  }

  /**
   * Waits for a span with this name.
   *
   * @param name the span name, for example {@code publish orders.order-placed.v1}
   * @return assertions on the first such span
   */
  public SpanAssert hasSpan(String name) {
    List<SpanData> spans =
        actual.await(l -> find(l, name).isPresent(), "contain a span named '" + name + "'");
    return new SpanAssert(find(spans, name).orElseThrow(), spans);
  }

  /**
   * Waits for a span of this kind.
   *
   * @param kind the kind
   * @return assertions on the first such span
   */
  public SpanAssert hasSpan(SpanKind kind) {
    List<SpanData> spans =
        actual.await(
            l -> l.stream().anyMatch(s -> s.getKind() == kind), "contain a " + kind + " span");
    return new SpanAssert(
        spans.stream().filter(s -> s.getKind() == kind).findFirst().orElseThrow(), spans);
  }

  /**
   * Waits until a span named {@code child} is the direct child of a span named {@code parent} in
   * the same trace (for example the consumer's {@code process} span of the producer's {@code
   * publish} span).
   *
   * @param parent the parent's name
   * @param child the child's name
   * @return this assertion
   */
  public TracesAssert hasParentChild(String parent, String child) {
    actual.await(
        l ->
            l.stream()
                .filter(c -> c.getName().equals(child))
                .anyMatch(
                    c ->
                        l.stream()
                            .anyMatch(
                                p ->
                                    p.getName().equals(parent)
                                        && p.getSpanId().equals(c.getParentSpanId())
                                        && p.getTraceId().equals(c.getTraceId()))),
        "contain a span '" + child + "' whose parent is a span '" + parent + "'");
    return this;
  }

  private static Optional<SpanData> find(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).findFirst();
  }

  /** Assertions on one span. Not thread-safe. */
  public static final class SpanAssert extends AbstractAssert<SpanAssert, SpanData> {
    private final List<SpanData> all;

    SpanAssert(SpanData actual, List<SpanData> all) {
      super(actual, SpanAssert.class);
      this.all = all;
    }

    /**
     * Checks the kind.
     *
     * @param kind the expected kind
     * @return this assertion
     */
    public SpanAssert hasKind(SpanKind kind) {
      if (actual.getKind() != kind) {
        failWithMessage(
            "Expected span '%s' to be %s but it is %s", actual.getName(), kind, actual.getKind());
      }
      return this;
    }

    /**
     * Checks a string attribute.
     *
     * @param key the attribute key
     * @param value the expected value
     * @return this assertion
     */
    public SpanAssert hasAttribute(String key, String value) {
      Object found =
          actual.getAttributes().asMap().entrySet().stream()
              .filter(e -> e.getKey().getKey().equals(key))
              .map(java.util.Map.Entry::getValue)
              .findFirst()
              .orElse(null);
      if (found == null || !String.valueOf(found).equals(value)) {
        failWithMessage(
            "Expected span '%s' to have attribute %s=<%s> but it was <%s>; attributes: %s",
            actual.getName(), key, value, found, actual.getAttributes());
      }
      return this;
    }

    /**
     * Checks that the span's parent (in the same trace) is a recorded span with this name.
     *
     * @param name the parent's name
     * @return this assertion
     */
    public SpanAssert hasParent(String name) {
      boolean ok =
          all.stream()
              .anyMatch(
                  p ->
                      p.getName().equals(name)
                          && p.getSpanId().equals(actual.getParentSpanId())
                          && p.getTraceId().equals(actual.getTraceId()));
      if (!ok) {
        failWithMessage(
            "Expected span '%s' to be a child of a span '%s'; its parent span id is %s, the spans"
                + " are:%s",
            actual.getName(),
            name,
            actual.getParentSpanId(),
            Live.describe(all.stream().map(s -> s.getName() + " span=" + s.getSpanId()).toList()));
      }
      return this;
    }
  }
}
