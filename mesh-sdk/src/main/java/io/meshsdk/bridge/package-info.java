/**
 * Bridges: existing topics (JSON, JSON Schema, plain or Confluent-framed Avro, strings) become
 * governed data products. A bridge reads a legacy topic, maps each record onto a product class, and
 * writes it as any producer would (contract checked, Confluent framing, CloudEvents headers), with
 * the legacy record as the product event's external parent. See {@code docs/onboarding.md}.
 */
@NullMarked
package io.meshsdk.bridge;

import org.jspecify.annotations.NullMarked;
