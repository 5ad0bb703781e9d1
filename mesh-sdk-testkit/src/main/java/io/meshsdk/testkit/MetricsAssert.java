package io.meshsdk.testkit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the meters of a mesh ({@code assertThat(mesh.metrics())}); they wait up to the
 * timeout for a value to be reached, since consumers record on their own threads.
 *
 * <pre>{@code
 * assertThat(mesh.metrics()).hasCount(MeshMetrics.CONSUME, 2, "outcome", "success", "group", "shipping");
 * }</pre>
 *
 * <p>Thread-safety: not thread-safe; one per assertion chain.
 */
public final class MetricsAssert extends AbstractAssert<MetricsAssert, MeterRegistry> {
  private final Duration timeout;

  MetricsAssert(MeterRegistry actual, Duration timeout) {
    super(actual, MetricsAssert.class);
    isNotNull();
    this.timeout = timeout;
  }

  /**
   * Waits until the meters named {@code name} with the given tags count exactly {@code count}
   * (counters, timers, distribution summaries, function counters; summed over all matching tag
   * sets).
   *
   * @param name the meter name, for example {@code mesh.consume}
   * @param count the expected count
   * @param tags tag keys and values, alternating; only these tags are compared
   * @return this assertion
   */
  public MetricsAssert hasCount(String name, double count, String... tags) {
    List<Tag> wanted = tags(tags);
    live(name, wanted)
        .await(
            meters -> Math.abs(total(meters) - count) < 1e-9,
            "count " + format(count) + " with tags " + wanted);
    return this;
  }

  /**
   * Waits until a gauge named {@code name} with the given tags reads {@code value}.
   *
   * @param name the gauge name
   * @param value the expected value
   * @param tags tag keys and values, alternating
   * @return this assertion
   */
  public MetricsAssert hasGaugeValue(String name, double value, String... tags) {
    List<Tag> wanted = tags(tags);
    live(name, wanted)
        .await(
            meters ->
                meters.stream()
                    .anyMatch(m -> m instanceof Gauge g && Math.abs(g.value() - value) < 1e-9),
            "have a gauge reading " + format(value) + " with tags " + wanted);
    return this;
  }

  /**
   * Checks that no meter named {@code name} with the given tags has counted anything now.
   *
   * @param name the meter name
   * @param tags tag keys and values, alternating
   * @return this assertion
   */
  public MetricsAssert hasNothingCounted(String name, String... tags) {
    List<Tag> wanted = tags(tags);
    List<Meter> meters = live(name, wanted).now();
    if (total(meters) != 0) {
      failWithMessage(
          "Expected %s with tags %s to have counted nothing but found:%s",
          name, wanted, Live.describe(meters.stream().map(MetricsAssert::describe).toList()));
    }
    return this;
  }

  private Live<Meter> live(String name, List<Tag> wanted) {
    Objects.requireNonNull(name, "name");
    return new Live<>(
        "the meters named " + name,
        () -> {
          List<Meter> found = new ArrayList<>();
          for (Meter m : actual.find(name).tags(wanted).meters()) {
            found.add(m);
          }
          return found;
        },
        timeout) {
      @Override
      public List<Meter> await(java.util.function.Predicate<List<Meter>> condition, String what) {
        try {
          return super.await(condition, what);
        } catch (AssertionError e) {
          List<String> all = new ArrayList<>();
          for (Meter m : actual.find(name).meters()) {
            all.add(MetricsAssert.describe(m));
          }
          throw new AssertionError(
              "Expected "
                  + name
                  + " to "
                  + what
                  + " within "
                  + timeout
                  + ", but the meters named "
                  + name
                  + " are:"
                  + (all.isEmpty() ? " none" : Live.describe(all)),
              e);
        }
      }
    };
  }

  private static List<Tag> tags(String... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("tags must be key-value pairs, got " + keyValues.length);
    }
    List<Tag> tags = new ArrayList<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      tags.add(Tag.of(keyValues[i], keyValues[i + 1]));
    }
    return tags;
  }

  private static double total(List<Meter> meters) {
    double sum = 0;
    for (Meter m : meters) {
      sum += count(m);
    }
    return sum;
  }

  private static double count(Meter m) {
    if (m instanceof Counter c) {
      return c.count();
    } else if (m instanceof Timer t) {
      return t.count();
    } else if (m instanceof DistributionSummary s) {
      return s.count();
    } else if (m instanceof FunctionCounter f) {
      return f.count();
    } else if (m instanceof FunctionTimer f) {
      return f.count();
    } else if (m instanceof LongTaskTimer t) {
      return t.activeTasks();
    }
    return 0;
  }

  private static String describe(Meter m) {
    String value =
        m instanceof Gauge g ? "value=" + format(g.value()) : "count=" + format(count(m));
    return m.getId().getName() + m.getId().getTags() + " " + value;
  }

  private static String format(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
