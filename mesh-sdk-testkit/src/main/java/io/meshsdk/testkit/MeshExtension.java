package io.meshsdk.testkit;

import io.meshsdk.migration.Migrations;
import io.meshsdk.registry.InMemorySchemaRegistry;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link MeshTest}: a fresh {@link TestMesh} per test, injected into
 * {@code TestMesh} parameters and non-static {@code TestMesh} fields, closed after the test.
 * Register it yourself for options the annotation does not have:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MeshExtension MESH = MeshExtension.builder()
 *     .mode(BrokerMode.EMBEDDED)
 *     .configure(b -> b.registration(RegistrationMode.VERIFY))
 *     .build();
 * }</pre>
 *
 * <p>After each test, the {@code mock://} registries ({@link InMemorySchemaRegistry#named}) the
 * test created are dropped, so the next test that names one starts with it empty; those created
 * before the test (in a {@code @BeforeAll}) stay.
 *
 * <p>Thread-safety: thread-safe; tests may run in parallel (each has its own mesh; tests that run
 * at the same time should not share a {@code mock://} name). Ownership: the extension owns the test
 * meshes it creates.
 */
public final class MeshExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(MeshExtension.class);
  private static final String KEY = "mesh";
  private static final String REGISTRIES = "mock-registries";

  /** Applied to each test mesh's builder; null: read {@link MeshTest} from the test class. */
  private final @Nullable Consumer<TestMesh.Builder> options;

  /** The extension configured by {@link MeshTest} (used by {@code @ExtendWith}). */
  public MeshExtension() {
    this.options = null;
  }

  private MeshExtension(Consumer<TestMesh.Builder> options) {
    this.options = options;
  }

  /**
   * Starts a builder for {@code @RegisterExtension}.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IllegalAccessException {
    context.getStore(NAMESPACE).put(REGISTRIES, InMemorySchemaRegistry.names());
    TestMesh mesh = meshOf(context);
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      for (Class<?> c = instance.getClass();
          c != null && c != Object.class;
          c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (f.getType() == TestMesh.class && !Modifier.isStatic(f.getModifiers())) {
            f.setAccessible(true);
            f.set(instance, mesh);
          }
        }
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestMesh mesh = context.getStore(NAMESPACE).remove(KEY, TestMesh.class);
    if (mesh != null) {
      mesh.close();
    }
    // mock:// registries the test created start empty in the next test
    @SuppressWarnings("unchecked")
    Set<String> before = context.getStore(NAMESPACE).remove(REGISTRIES, Set.class);
    if (before != null) {
      for (String name : InMemorySchemaRegistry.names()) {
        if (!before.contains(name)) {
          InMemorySchemaRegistry.dropNamed(name);
        }
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestMesh.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException(
          "a TestMesh belongs to one test: take it as a parameter of the test or of a @BeforeEach"
              + " method, not of a constructor or @BeforeAll method");
    }
    return meshOf(context);
  }

  private TestMesh meshOf(ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(KEY, k -> create(context), TestMesh.class);
  }

  private TestMesh create(ExtensionContext context) {
    TestMesh.Builder b =
        TestMesh.builder().application(applicationOf(context.getRequiredTestClass()));
    (options != null ? options : fromAnnotation(context)).accept(b);
    return b.build();
  }

  private static Consumer<TestMesh.Builder> fromAnnotation(ExtensionContext context) {
    Optional<MeshTest> found = Optional.empty();
    for (Class<?> c = context.getRequiredTestClass();
        c != null && found.isEmpty();
        c = c.getEnclosingClass()) {
      found = AnnotationSupport.findAnnotation(c, MeshTest.class);
    }
    MeshTest a =
        found.orElseThrow(
            () ->
                new IllegalStateException(
                    "MeshExtension without options needs @MeshTest on the test class; or register"
                        + " it with @RegisterExtension MeshExtension.builder()...build()"));
    if (a.timeoutMillis() <= 0) {
      throw new IllegalStateException("@MeshTest(timeoutMillis) must be positive");
    }
    return b -> {
      b.mode(a.broker()).timeout(Duration.ofMillis(a.timeoutMillis()));
      if (!a.application().isEmpty()) {
        b.application(a.application());
      }
      if (!a.bootstrapServers().isEmpty()) {
        b.bootstrapServers(a.bootstrapServers());
      }
      if (!a.schemaRegistryUrl().isEmpty()) {
        b.schemaRegistryUrl(a.schemaRegistryUrl());
      }
    };
  }

  private static String applicationOf(Class<?> testClass) {
    String name = testClass.getSimpleName().replaceAll("[^A-Za-z0-9._-]", "-");
    return name.isEmpty() ? "mesh-test" : name;
  }

  /**
   * Configures a {@link MeshExtension}: each option is applied to every test mesh's {@link
   * TestMesh.Builder} (see it for the meaning and defaults). Not thread-safe.
   */
  public static final class Builder {
    private Consumer<TestMesh.Builder> options = b -> {};

    private Builder() {}

    /**
     * Sets where Kafka runs (default in memory).
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder mode(BrokerMode mode) {
      Objects.requireNonNull(mode, "mode");
      return configure(b -> b.mode(mode));
    }

    /**
     * Sets the application id (default: the test class's simple name).
     *
     * @param application the id
     * @return this builder
     */
    public Builder application(String application) {
      Objects.requireNonNull(application, "application");
      return configure(b -> b.application(application));
    }

    /**
     * Sets the bootstrap servers of external mode.
     *
     * @param servers the servers
     * @return this builder
     */
    public Builder bootstrapServers(String servers) {
      Objects.requireNonNull(servers, "servers");
      return configure(b -> b.bootstrapServers(servers));
    }

    /**
     * Sets the registry URL (default: a fresh in-memory registry per test).
     *
     * @param url the URL
     * @return this builder
     */
    public Builder schemaRegistryUrl(String url) {
      Objects.requireNonNull(url, "url");
      return configure(b -> b.schemaRegistryUrl(url));
    }

    /**
     * Sets how long assertions wait (default 10 s).
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      TestMesh.builder().timeout(timeout); // validates now rather than in every test
      return configure(b -> b.timeout(timeout));
    }

    /**
     * Gives each test mesh the migrations between major versions.
     *
     * @param migrations the migrations
     * @return this builder
     */
    public Builder migrations(Migrations migrations) {
      Objects.requireNonNull(migrations, "migrations");
      return configure(b -> b.configure(m -> m.migrations(migrations)));
    }

    /**
     * Adjusts each test mesh before it is built (governance policy, mesh settings); adjustments add
     * up, in order.
     *
     * @param customizer the adjustment
     * @return this builder
     */
    public Builder configure(Consumer<TestMesh.Builder> customizer) {
      this.options = this.options.andThen(Objects.requireNonNull(customizer, "customizer"));
      return this;
    }

    /**
     * Builds the extension.
     *
     * @return the extension
     */
    public MeshExtension build() {
      return new MeshExtension(options);
    }
  }
}
