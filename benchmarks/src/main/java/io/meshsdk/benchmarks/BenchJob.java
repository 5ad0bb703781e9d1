package io.meshsdk.benchmarks;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Key;

/** A job for the parallel consumer benchmark: a key and about 90 bytes of payload. */
@DataProduct(
    domain = "bench",
    name = "job",
    version = "1.0",
    owner = "team-bench",
    partitions = 1,
    description = "A job for the parallel consumer benchmark.")
public record BenchJob(@Key String key, String payload) {}
