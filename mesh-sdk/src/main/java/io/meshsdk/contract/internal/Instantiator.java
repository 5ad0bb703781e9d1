package io.meshsdk.contract.internal;

/** Creates an instance of a product type from its property values in schema order. */
@FunctionalInterface
public interface Instantiator {
  /**
   * Creates the instance.
   *
   * @param values one value per property, in property order; primitives boxed
   * @return the instance
   */
  Object create(Object[] values);
}
