package io.meshsdk.crypto.internal;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.ConfigurationV0;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AeadKey;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.meshsdk.crypto.KeyManagementException;
import java.security.GeneralSecurityException;

/**
 * The few Tink operations the crypto package shares: generating an AES256-GCM keyset and turning a
 * keyset into an {@link Aead} after checking that it holds AEAD keys only.
 *
 * <p>Tink 1.18 creates and (de)serializes keys through its process-wide registry, so the first use
 * registers Tink's standard AEAD key types ({@link AeadConfig#register()}) once. That registration
 * only adds Tink's own key types and is idempotent: an application that registered them itself, or
 * registers more, is not affected. Primitives are made with the fixed {@link ConfigurationV0}, not
 * with whatever else the registry holds.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class TinkKeysets {
  private TinkKeysets() {}

  /** Registers Tink's AEAD key types, once per class loader (holder idiom). */
  private static final class Registration {
    static final boolean DONE = register();

    private static boolean register() {
      try {
        AeadConfig.register();
        return true;
      } catch (GeneralSecurityException e) {
        throw new KeyManagementException("Tink's AEAD key types could not be registered", e);
      }
    }
  }

  /**
   * Makes sure Tink's AEAD key types are registered.
   *
   * @throws KeyManagementException if Tink refuses the registration
   */
  public static void ensureRegistered() {
    if (!Registration.DONE) {
      throw new IllegalStateException("unreachable");
    }
  }

  /**
   * A fresh keyset of one AES256-GCM key.
   *
   * @return the keyset
   * @throws KeyManagementException if Tink cannot create the key
   */
  public static KeysetHandle newAes256Gcm() {
    ensureRegistered();
    try {
      return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    } catch (GeneralSecurityException e) {
      throw new KeyManagementException("Tink could not create an AES256-GCM key", e);
    }
  }

  /**
   * The AEAD primitive of a keyset whose keys are all AEAD keys.
   *
   * @param keyset the keyset
   * @param source what the keyset is, for messages (never key material)
   * @return the primitive, encrypting with the primary key
   * @throws KeyManagementException naming the source if the keyset is not an AEAD keyset
   */
  public static Aead aead(KeysetHandle keyset, String source) {
    for (int i = 0; i < keyset.size(); i++) {
      if (!(keyset.getAt(i).getKey() instanceof AeadKey)) {
        throw new KeyManagementException(
            source
                + " is not an AEAD keyset: it holds a key of type "
                + keyset.getAt(i).getKey().getClass().getSimpleName(),
            null);
      }
    }
    try {
      return keyset.getPrimitive(ConfigurationV0.get(), Aead.class);
    } catch (GeneralSecurityException e) {
      throw new KeyManagementException(source + " cannot be used as an AEAD", e);
    }
  }
}
