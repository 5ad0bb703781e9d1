package io.meshsdk.migration;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The registered migrations of a mesh, validated once: each product's migrations form one chain of
 * consecutive majors (no duplicate step, no gap, each major one class), so a value can be moved
 * from any major to any other by composing steps: up with upcasts, down with downcasts. Cycles
 * cannot occur, since every step goes from a major to the next.
 *
 * <p>Thread-safety: immutable.
 */
public final class Migrations {
  private static final Migrations NONE = new Migrations(Map.of());

  /** Per product id, the steps by their older major. */
  private final Map<String, TreeMap<Integer, Migration<?, ?>>> chains;

  private Migrations(Map<String, TreeMap<Integer, Migration<?, ?>>> chains) {
    this.chains = chains;
  }

  /**
   * No migrations.
   *
   * @return the empty registry
   */
  public static Migrations none() {
    return NONE;
  }

  /**
   * Validates and registers migrations.
   *
   * @param migrations the steps, in any order
   * @return the registry
   * @throws MeshConfigurationException listing every duplicate step, gap and class mismatch
   */
  public static Migrations of(Migration<?, ?>... migrations) {
    return of(List.of(migrations));
  }

  /**
   * Validates and registers migrations.
   *
   * @param migrations the steps, in any order
   * @return the registry
   * @throws MeshConfigurationException listing every duplicate step, gap and class mismatch
   */
  public static Migrations of(Collection<? extends Migration<?, ?>> migrations) {
    Objects.requireNonNull(migrations, "migrations");
    Map<String, TreeMap<Integer, Migration<?, ?>>> chains = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    for (Migration<?, ?> m : migrations) {
      Objects.requireNonNull(m, "migration");
      Migration<?, ?> previous =
          chains.computeIfAbsent(m.product(), p -> new TreeMap<>()).putIfAbsent(m.fromMajor(), m);
      if (previous != null) {
        problems.add(
            m.product()
                + ": two migrations from v"
                + m.fromMajor()
                + ": "
                + previous
                + " and "
                + m);
      }
    }
    for (Map.Entry<String, TreeMap<Integer, Migration<?, ?>>> e : chains.entrySet()) {
      Migration<?, ?> before = null;
      for (Migration<?, ?> m : e.getValue().values()) {
        if (before != null) {
          if (m.fromMajor() != before.fromMajor() + 1) {
            problems.add(
                e.getKey()
                    + ": the chain has a gap: no migration from v"
                    + (before.fromMajor() + 1)
                    + " to v"
                    + (before.fromMajor() + 2));
          } else if (m.older().type() != before.newer().type()) {
            problems.add(
                e.getKey()
                    + ": v"
                    + m.fromMajor()
                    + " is "
                    + before.newer().type().getName()
                    + " in one migration and "
                    + m.older().type().getName()
                    + " in the next; one class per major");
          }
        }
        before = m;
      }
    }
    if (!problems.isEmpty()) {
      throw new MeshConfigurationException("migrations are invalid", problems);
    }
    return chains.isEmpty() ? NONE : new Migrations(Map.copyOf(chains));
  }

  /**
   * Whether none are registered.
   *
   * @return {@code true} if empty
   */
  public boolean isEmpty() {
    return chains.isEmpty();
  }

  /**
   * Every registered step.
   *
   * @return the steps, by product and major
   */
  public List<Migration<?, ?>> all() {
    List<Migration<?, ?>> all = new ArrayList<>();
    new TreeMap<>(chains).values().forEach(c -> all.addAll(c.values()));
    return all;
  }

  /**
   * The step from a major of a product to the next.
   *
   * @param product the product id ({@code domain.name})
   * @param fromMajor the older major
   * @return the step, or empty
   */
  public Optional<Migration<?, ?>> step(String product, int fromMajor) {
    TreeMap<Integer, Migration<?, ?>> chain = chains.get(product);
    return chain == null ? Optional.empty() : Optional.ofNullable(chain.get(fromMajor));
  }

  /**
   * The registered class of a major of a product.
   *
   * @param product the product id
   * @param major the major
   * @return the class, or empty when no migration names that major
   */
  public Optional<Class<?>> classOf(String product, int major) {
    Optional<Migration<?, ?>> up = step(product, major);
    if (up.isPresent()) {
      return Optional.of(up.get().older().type());
    }
    return step(product, major - 1).map(m -> m.newer().type());
  }

  /**
   * A function moving a value of one major's class to another's through the registered steps
   * (upcasts going up, downcasts going down).
   *
   * @param from the class values come in as (a registered class of its major)
   * @param to the class wanted (a registered class of its major)
   * @param <T> the wanted type
   * @return the composed function; the identity when the classes are the same
   * @throws MeshConfigurationException if the classes are of different products, a step is missing,
   *     a class is not the one registered for its major, or a step down has no downcast
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <T> Function<Object, T> path(Class<?> from, Class<T> to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from == to) {
      return to::cast;
    }
    ProductContract<?> f = ProductContract.of(from);
    ProductContract<T> t = ProductContract.of(to);
    if (!f.id().equals(t.id())) {
      throw new MeshConfigurationException(
          "no migration between different products: " + f.id() + " and " + t.id());
    }
    int a = f.version().major();
    int b = t.version().major();
    if (a == b) {
      throw new MeshConfigurationException(
          from.getName()
              + " and "
              + to.getName()
              + " are the same major (v"
              + a
              + "); read the topic with one of them, schema resolution handles minor versions");
    }
    List<Function<Object, Object>> steps = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int step = a < b ? 1 : -1;
    for (int major = a; major != b; major += step) {
      int older = step > 0 ? major : major - 1;
      Optional<Migration<?, ?>> m = step(f.id(), older);
      if (m.isEmpty()) {
        problems.add("no migration registered from v" + older + " to v" + (older + 1));
        continue;
      }
      Migration raw = m.get();
      if (step > 0) {
        steps.add(v -> raw.upcast(v));
      } else if (!raw.hasDowncast()) {
        problems.add(raw + " has no downcast, needed to go from v" + major + " to v" + older);
      } else {
        steps.add(v -> raw.downcast(v));
      }
    }
    classOf(f.id(), a)
        .filter(c -> c != from)
        .ifPresent(c -> problems.add(classProblem(from, c, a)));
    classOf(f.id(), b).filter(c -> c != to).ifPresent(c -> problems.add(classProblem(to, c, b)));
    if (!problems.isEmpty()) {
      throw new MeshConfigurationException(
          "cannot migrate " + f.id() + " v" + a + " to v" + b, problems);
    }
    return value -> {
      Object v = value;
      for (Function<Object, Object> s : steps) {
        v = s.apply(v);
      }
      return to.cast(v);
    };
  }

  private static String classProblem(Class<?> given, Class<?> registered, int major) {
    return given.getName()
        + " is not the class registered for v"
        + major
        + " ("
        + registered.getName()
        + ")";
  }

  @Override
  public String toString() {
    return "Migrations" + all();
  }
}
