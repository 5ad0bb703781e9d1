package io.meshsdk.internal;

import io.meshsdk.catalog.internal.OpenLineageSettings;
import io.meshsdk.crypto.FieldEncryption;
import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.migration.Migrations;
import io.meshsdk.registry.RegistrationMode;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.runtime.HeaderProfile;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.runtime.ProvisioningMode;
import io.meshsdk.serde.DecodeLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@code MeshBuilder} validated, handed to {@link DefaultMesh} as one object (instead of
 * a constructor of sixteen positional arguments). Filled once by the builder, then only read.
 */
public final class MeshSettings {
  /** The application id. */
  public String application = "";

  /** Kafka client properties: bootstrap servers and the passthrough keys. */
  public final Map<String, Object> kafka = new LinkedHashMap<>();

  /** The schema registry. */
  public @Nullable SchemaRegistry registry;

  /** Base of {@code ce_dataschema}. */
  public String schemaLocation = "urn:mesh:schema:";

  /** Whether the mesh built the registry and so closes it. */
  public boolean ownsRegistry;

  /** The meter registry given, or null for no-op meters. */
  public @Nullable MeterRegistry meterRegistry;

  /** The OpenTelemetry given, or null for the global one once an application registers it. */
  public @Nullable OpenTelemetry openTelemetry;

  /** The governance policy. */
  public GovernancePolicy governance = GovernancePolicy.standard();

  /** How schemas get into the registry. */
  public RegistrationMode registration = RegistrationMode.AUTO_REGISTER;

  /** How topics are created or checked. */
  public ProvisioningMode provisioning = ProvisioningMode.CREATE_IF_MISSING;

  /** Replication factor of topics the SDK creates, or null for the broker's. */
  public @Nullable Short replicationFactor;

  /** How long closing one client may take. */
  public Duration closeTimeout = Duration.ofSeconds(30);

  /** How long the broker calls made while creating a client may take in all. */
  public Duration startupTimeout = Duration.ofSeconds(15);

  /** How long a consumer waits for its topic to be created by the product's producer. */
  public Duration topicWait = Duration.ofMinutes(2);

  /** Creates the Kafka clients. */
  public KafkaClientFactory clientFactory = KafkaClientFactory.kafka();

  /** Prefix of contract-derived topic names. */
  public String topicPrefix = "";

  /** Migrations between majors. */
  public Migrations migrations = Migrations.none();

  /** Which CloudEvents headers producers write. */
  public HeaderProfile headerProfile = HeaderProfile.FULL;

  /** Bounds of decoding one record. */
  public DecodeLimits decodeLimits = DecodeLimits.defaults();

  /** Field encryption, or null for none. */
  public @Nullable FieldEncryption fieldEncryption;

  /** Where OpenLineage run events go (default nowhere). */
  public OpenLineageSettings openLineage = OpenLineageSettings.none();
}
