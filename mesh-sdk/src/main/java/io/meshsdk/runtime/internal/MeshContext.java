package io.meshsdk.runtime.internal;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.crypto.internal.FieldCipher;
import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.migration.Migrations;
import io.meshsdk.registry.RegistrationMode;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.runtime.HeaderProfile;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.runtime.ProvisioningMode;
import io.meshsdk.serde.DecodeLimits;
import io.meshsdk.telemetry.internal.Telemetry;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a {@code Mesh} gives its producers, consumers and processors. Immutable; the clients
 * it creates belong to whoever asked for them.
 *
 * @param application the application id
 * @param kafka the Kafka client properties (bootstrap servers and passthrough settings)
 * @param registry the schema registry
 * @param schemaLocation base of {@code ce_dataschema} ({@code urn:mesh:schema:} when the registry
 *     has no URL)
 * @param registration the registration mode
 * @param provisioning the provisioning mode
 * @param provisioner creates or verifies topics
 * @param governance the governance policy
 * @param telemetry metrics and tracing
 * @param closeTimeout how long closing a client may take
 * @param clients creates the Kafka clients
 * @param topicPrefix prepended to every topic name derived from a contract (empty for none)
 * @param migrations the registered migrations between major versions
 * @param headerProfile which CloudEvents headers producers write
 * @param decodeLimits bounds of decoding one consumed record
 * @param startupTimeout how long the broker calls of creating a client may take in all
 * @param topicWait how long a consumer waits for its topic to be created by its producer
 * @param sharedProducer the mesh's one non-transactional producer
 * @param tracker told when a client closes
 * @param fieldCipher encrypts and decrypts encrypted fields ({@link FieldCipher#NONE} without)
 */
public record MeshContext(
    String application,
    Map<String, Object> kafka,
    SchemaRegistry registry,
    String schemaLocation,
    RegistrationMode registration,
    ProvisioningMode provisioning,
    TopicProvisioner provisioner,
    GovernancePolicy governance,
    Telemetry telemetry,
    Duration closeTimeout,
    KafkaClientFactory clients,
    String topicPrefix,
    Migrations migrations,
    HeaderProfile headerProfile,
    DecodeLimits decodeLimits,
    Duration startupTimeout,
    Duration topicWait,
    SharedProducer sharedProducer,
    ClientTracker tracker,
    FieldCipher fieldCipher) {
  public MeshContext {
    kafka = Map.copyOf(kafka);
  }

  /** No Kafka properties: they may hold passwords ({@code sasl.jaas.config}). */
  @Override
  public String toString() {
    return "MeshContext[" + application + ", " + kafka.get("bootstrap.servers") + "]";
  }

  /** The mesh's shared non-transactional producer (never close it). */
  public org.apache.kafka.clients.producer.Producer<byte[], byte[]> producer() {
    return sharedProducer.get(this);
  }

  /** The topic of a product in this mesh: the contract's topic after the topic prefix. */
  public String topicOf(ProductContract<?> contract) {
    return topicPrefix + contract.topic();
  }
}
