package io.meshsdk.registry;

/**
 * How a producer makes sure its schema is in the registry.
 *
 * <p>Thread-safety: immutable.
 */
public enum RegistrationMode {
  /**
   * Development: register the derived schema if it is new; the registry's compatibility rule
   * decides, and a refusal fails start-up with the registry's reasons.
   */
  AUTO_REGISTER,
  /**
   * Production: the schema must already be registered (for example by CI); start-up fails fast,
   * naming the subject, when it is not.
   */
  VERIFY
}
