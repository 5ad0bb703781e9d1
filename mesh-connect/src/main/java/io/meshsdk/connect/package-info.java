/**
 * Kafka Connect support: {@link io.meshsdk.connect.MeshConverter} writes what a source connector
 * produces as a governed product (contract checked, Confluent framing, CloudEvents headers, lineage
 * to the connector's source position from {@link io.meshsdk.connect.MeshSourcePosition}), Debezium
 * change events included, and reads products back into Connect records for sink connectors. See
 * {@code docs/onboarding.md}.
 */
@NullMarked
package io.meshsdk.connect;

import org.jspecify.annotations.NullMarked;
