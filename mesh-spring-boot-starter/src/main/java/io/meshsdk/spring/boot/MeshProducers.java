package io.meshsdk.spring.boot;

import io.meshsdk.Mesh;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.producer.MeshProducer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The producers an application context injected ({@code @Autowired MeshProducer<OrderPlaced>}): one
 * per product class, created on first injection (so a product failing the governance policy fails
 * the context's start) and shared by every bean that injects it.
 *
 * <p>Thread-safety: thread-safe. The producers belong to the mesh, which closes them; the map's
 * lifetime is the context's, so it pins no class loader beyond it.
 */
public final class MeshProducers {
  private final Mesh mesh;
  private final Map<Class<?>, MeshProducer<?>> producers = new ConcurrentHashMap<>();

  /**
   * Creates the registry; {@link MeshAutoConfiguration} does.
   *
   * @param mesh the mesh that creates and owns the producers
   */
  public MeshProducers(Mesh mesh) {
    this.mesh = Objects.requireNonNull(mesh, "mesh");
  }

  /**
   * The producer of a product, created on first call.
   *
   * @param <T> the product type
   * @param type the product class
   * @return the producer
   * @throws io.meshsdk.errors.MeshConfigurationException if the product is not valid or fails the
   *     governance policy
   */
  @SuppressWarnings("unchecked")
  public <T> MeshProducer<T> producer(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return (MeshProducer<T>) producers.computeIfAbsent(type, mesh::producer);
  }

  /**
   * The contracts of the products produced so far.
   *
   * @return the contracts, ordered by product id
   */
  public List<ProductContract<?>> products() {
    return producers().stream().<ProductContract<?>>map(MeshProducer::contract).toList();
  }

  /**
   * The producers created so far, each with the topic it writes to ({@link MeshProducer#topic()},
   * {@code mesh.topic-prefix} included).
   *
   * @return the producers, ordered by product id
   */
  public List<MeshProducer<?>> producers() {
    return producers.values().stream()
        .sorted(java.util.Comparator.comparing(p -> p.contract().id()))
        .toList();
  }
}
