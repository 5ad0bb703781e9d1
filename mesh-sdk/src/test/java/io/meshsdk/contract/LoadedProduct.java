package io.meshsdk.contract;

/** A product {@link ContractCacheClassLoaderTest} loads in class loaders of its own. */
@DataProduct(domain = "t", name = "loaded", version = "1.0", owner = "o", description = "d")
public record LoadedProduct(String id) {}
