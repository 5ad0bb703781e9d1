package io.meshsdk.crypto.internal;

import com.google.crypto.tink.Aead;
import io.meshsdk.crypto.FieldEncryption;
import io.meshsdk.crypto.KeyManagementException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Mesh's envelope around a Tink AEAD ciphertext, the bytes of an encrypted field:
 *
 * <pre>
 *   0x01                  format version
 *   varint n, n bytes     the data key's reference (UTF-8): {product}.v{major}, or
 *                         {product}/subject/{hex SHA-256 of "{product}/{subject id}"}
 *   the rest              Tink AEAD ciphertext (AES256-GCM with Tink's key prefix)
 * </pre>
 *
 * <p>The associated data binds the ciphertext to its product, field and key: {@code
 * mesh-field-v1|{product}|{field}|{key reference}}, so a value copied into another field or product
 * does not decrypt. Data keys come from {@link DataKeys}: created by the first producer that needs
 * them, unwrapped once per process and cached.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class EnvelopeCipher implements FieldCipher {
  private static final byte FORMAT = 1;

  private final DataKeys keys;
  private final boolean failOnMissingKey;

  /** Subject references already hashed, so that a record does not hash its subject per field. */
  private final Map<String, String> subjectRefs = new ConcurrentHashMap<>();

  private static final int MAX_SUBJECT_REFS = 10_000;

  EnvelopeCipher(DataKeys keys, boolean failOnMissingKey) {
    this.keys = keys;
    this.failOnMissingKey = failOnMissingKey;
  }

  /**
   * The cipher of a mesh's field encryption.
   *
   * @param encryption the configuration
   * @return the cipher
   */
  public static EnvelopeCipher create(FieldEncryption encryption) {
    return new EnvelopeCipher(
        DataKeys.builder(encryption.kms(), encryption.keys()).ttl(encryption.keyCacheTtl()).build(),
        encryption.failsOnMissingKey());
  }

  /**
   * The reference of a data subject's key: the same for every major of the product, so that one
   * deletion shreds the subject everywhere.
   *
   * @param productId the product id ({@code domain.name})
   * @param subject the subject's id
   * @return the reference
   */
  public static String subjectKey(String productId, String subject) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest((productId + "/" + subject).getBytes(StandardCharsets.UTF_8));
      return productId + "/subject/" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private String subjectRef(String product, String subject) {
    String key = product + "\u0000" + subject;
    String ref = subjectRefs.get(key);
    if (ref == null) {
      if (subjectRefs.size() >= MAX_SUBJECT_REFS) {
        subjectRefs.clear(); // a bound, not an eviction policy: hashing again is cheap
      }
      ref = subjectKey(productId(product), subject);
      subjectRefs.put(key, ref);
    }
    return ref;
  }

  /** {@code orders.order-placed.v1} to {@code orders.order-placed}. */
  private static String productId(String product) {
    int v = product.lastIndexOf(".v");
    return v < 0 ? product : product.substring(0, v);
  }

  @Override
  public byte[] encrypt(String product, @Nullable String subject, String field, byte[] clear) {
    String ref = subject == null ? product : subjectRef(product, subject);
    Aead aead =
        keys.aead(ref, true)
            .orElseThrow(
                () ->
                    new KeyManagementException(
                        "no data key for " + product + "." + field + " (" + ref + ")", null));
    byte[] refBytes = ref.getBytes(StandardCharsets.UTF_8);
    byte[] ciphertext;
    try {
      ciphertext = aead.encrypt(clear, associatedData(product, field, ref));
    } catch (GeneralSecurityException e) {
      throw new KeyManagementException("cannot encrypt " + product + "." + field, e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(ciphertext.length + refBytes.length + 6);
    out.write(FORMAT);
    int n = refBytes.length;
    while ((n & ~0x7F) != 0) {
      out.write((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    out.write(n);
    out.write(refBytes, 0, refBytes.length);
    out.write(ciphertext, 0, ciphertext.length);
    return out.toByteArray();
  }

  @Override
  public byte @Nullable [] decrypt(
      String product, @Nullable String subject, String field, byte[] envelope) {
    if (envelope.length == 0) {
      throw new IllegalArgumentException("is empty");
    }
    if (envelope[0] != FORMAT) {
      throw new IllegalArgumentException("is not in Mesh's envelope format (a clear value?)");
    }
    int pos = 1;
    int length = 0;
    for (int shift = 0; ; shift += 7) {
      if (pos >= envelope.length || shift > 28) {
        throw new IllegalArgumentException("has a truncated envelope");
      }
      int b = envelope[pos++];
      length |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    if (length < 0 || length > envelope.length - pos) {
      throw new IllegalArgumentException("has a truncated envelope");
    }
    String ref = new String(envelope, pos, length, StandardCharsets.UTF_8);
    pos += length;
    if (!validReference(product, ref)) {
      throw new IllegalArgumentException("names a key that is not one of this product's");
    }
    String expected = subject == null ? product : subjectRef(product, subject);
    if (!ref.equals(expected)) {
      throw new IllegalArgumentException(
          "is under another key than this record's "
              + (subject == null ? "product's" : "subject's")
              + " (copied from another record?)");
    }
    Optional<Aead> aead;
    try {
      aead = keys.aead(ref, false);
    } catch (KeyManagementException e) {
      if (failOnMissingKey || e.isRetriable()) {
        throw e; // an outage is never read as withheld: the reader waits
      }
      return null; // the key exists, but this mesh may not unwrap it
    }
    if (aead.isEmpty()) {
      if (failOnMissingKey) {
        throw new KeyManagementException(
            product + "." + field + ": its data key is gone (shredded) or was never created", null);
      }
      return null;
    }
    byte[] ciphertext = java.util.Arrays.copyOfRange(envelope, pos, envelope.length);
    try {
      return aead.get().decrypt(ciphertext, associatedData(product, field, ref));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("does not authenticate (tampered, or another field's)", e);
    }
  }

  /** Exactly {@code product}, or {@code {productId}/subject/} and 64 lowercase hex digits. */
  private static boolean validReference(String product, String ref) {
    if (ref.equals(product)) {
      return true;
    }
    String prefix = productId(product) + "/subject/";
    if (!ref.startsWith(prefix) || ref.length() != prefix.length() + 64) {
      return false;
    }
    for (int i = prefix.length(); i < ref.length(); i++) {
      char c = ref.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static byte[] associatedData(String product, String field, String ref) {
    return ("mesh-field-v1|" + product + "|" + field + "|" + ref).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Deletes a data subject's key: crypto-shredding.
   *
   * @param productId the product id
   * @param subject the subject's id
   * @return whether a key was deleted
   */
  public boolean forgetSubject(String productId, String subject) {
    return keys.forget(subjectKey(Objects.requireNonNull(productId), subject));
  }

  /**
   * The key layer, for counters in tests and benchmarks.
   *
   * @return the data keys
   */
  public DataKeys keys() {
    return keys;
  }

  @Override
  public String toString() {
    return "EnvelopeCipher[" + keys + "]";
  }
}
