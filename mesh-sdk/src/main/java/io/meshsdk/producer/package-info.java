/**
 * Producing data products: {@link io.meshsdk.producer.MeshProducer} checks the contract, frames the
 * value in the Confluent wire format, stamps CloudEvents and lineage headers, and reports metrics
 * and spans for every record.
 */
@NullMarked
package io.meshsdk.producer;

import org.jspecify.annotations.NullMarked;
