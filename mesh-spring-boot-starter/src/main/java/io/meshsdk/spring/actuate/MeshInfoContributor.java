package io.meshsdk.spring.actuate;

import io.meshsdk.Mesh;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.spring.boot.MeshProducers;
import io.meshsdk.spring.listener.MeshListeners;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * Adds {@code mesh} to the actuator's {@code info}: the application id, the products it produces
 * (injected producers) and consumes ({@code @MeshListener}s), each with its version, topic and
 * owner, and the group of each consumer.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class MeshInfoContributor implements InfoContributor {
  private final Mesh mesh;
  private final MeshProducers producers;
  private final MeshListeners listeners;

  MeshInfoContributor(Mesh mesh, MeshProducers producers, MeshListeners listeners) {
    this.mesh = Objects.requireNonNull(mesh, "mesh");
    this.producers = Objects.requireNonNull(producers, "producers");
    this.listeners = Objects.requireNonNull(listeners, "listeners");
  }

  @Override
  public void contribute(Info.Builder builder) {
    List<Map<String, Object>> produces = new ArrayList<>();
    for (MeshProducer<?> producer : producers.producers()) {
      Map<String, Object> product = product(producer.contract());
      product.put("topic", producer.topic());
      produces.add(product);
    }
    List<Map<String, Object>> consumes = new ArrayList<>();
    for (MeshListeners.Listener listener : listeners.listeners()) {
      Map<String, Object> product = product(listener.contract());
      product.put("topic", listener.topic());
      product.put("group", listener.group());
      product.put("listener", listener.id());
      consumes.add(product);
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("application", mesh.application());
    info.put("produces", produces);
    info.put("consumes", consumes);
    builder.withDetail("mesh", info);
  }

  private static Map<String, Object> product(ProductContract<?> contract) {
    Map<String, Object> product = new LinkedHashMap<>();
    product.put("product", contract.id());
    product.put("version", contract.version().toString());
    product.put("topic", contract.topic());
    product.put("owner", contract.owner());
    return product;
  }
}
