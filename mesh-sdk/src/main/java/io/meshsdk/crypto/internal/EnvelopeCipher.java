package io.meshsdk.crypto.internal;

import io.meshsdk.crypto.FieldEncryption;
import io.meshsdk.crypto.KeyManagementException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Mesh's envelope around a Tink AEAD ciphertext, the bytes of an encrypted field:
 *
 * <pre>
 *   0x01                  format version
 *   varint n, n bytes     the data key's reference (UTF-8): {product}.v{major}/key/{32 hex digits},
 *                         or {product}/subject/{hex SHA-256 of "{product}/{subject id}"}
 *   the rest              Tink AEAD ciphertext (AES256-GCM with Tink's key prefix)
 * </pre>
 *
 * <p>The associated data binds the ciphertext to its product, field and key: {@code
 * mesh-field-v1|{product}|{field}|{key reference}}, so a value copied into another field or product
 * does not decrypt. Data keys come from {@link DataKeys}: created by the first producer that needs
 * them, unwrapped once per process and cached.
 *
 * <p>A product without a data subject encrypts under a product key of this process's own, with a
 * random reference: it rolls over to a new key after its lifetime ({@link
 * FieldEncryption#productKeyLifetime}) or {@link #MAX_USES_PER_KEY} encryptions, whichever comes
 * first, which keeps AES-GCM's random 96-bit nonces far from a collision however long a producer
 * runs. Readers find any key by the reference in the envelope.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class EnvelopeCipher implements FieldCipher {
  private static final byte FORMAT = 1;

  /**
   * Encryptions under one product key before it rolls over: 2³¹, half of NIST SP 800-38D's bound
   * for AES-GCM with random 96-bit nonces.
   */
  public static final long MAX_USES_PER_KEY = 1L << 31;

  private static final int MAX_SUBJECT_REFS = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DataKeys keys;
  private final boolean failOnMissingKey;
  private final long productKeyLifetimeNanos;
  private final long maxUses;
  private final LongSupplier ticker;

  /** Per product: subject id to its key's reference, hashed once per subject. */
  private final Map<String, Map<String, Ref>> subjectRefs = new ConcurrentHashMap<>();

  /** Per product: this process's current product key. */
  private final Map<String, ProductKey> productKeys = new ConcurrentHashMap<>();

  /** A key reference and its UTF-8 bytes. */
  private record Ref(String ref, byte[] bytes) {
    static Ref of(String ref) {
      return new Ref(ref, ref.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A product key in use by this process: retired after its lifetime or its uses. */
  private static final class ProductKey {
    final Ref ref;
    final long expiresAt;
    final AtomicLong uses = new AtomicLong();

    ProductKey(Ref ref, long expiresAt) {
      this.ref = ref;
      this.expiresAt = expiresAt;
    }
  }

  EnvelopeCipher(
      DataKeys keys,
      boolean failOnMissingKey,
      Duration productKeyLifetime,
      long maxUses,
      LongSupplier ticker) {
    this.keys = keys;
    this.failOnMissingKey = failOnMissingKey;
    this.productKeyLifetimeNanos = productKeyLifetime.toNanos();
    this.maxUses = maxUses;
    this.ticker = ticker;
  }

  EnvelopeCipher(DataKeys keys, boolean failOnMissingKey) {
    this(
        keys,
        failOnMissingKey,
        FieldEncryption.DEFAULT_PRODUCT_KEY_LIFETIME,
        MAX_USES_PER_KEY,
        System::nanoTime);
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
        encryption.failsOnMissingKey(),
        encryption.productKeyLifetime(),
        MAX_USES_PER_KEY,
        System::nanoTime);
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

  /** {@code orders.order-placed.v1} to {@code orders.order-placed}. */
  private static String productId(String product) {
    int v = product.lastIndexOf(".v");
    return v < 0 ? product : product.substring(0, v);
  }

  @Override
  public Field field(String product, String field) {
    return new Bound(Objects.requireNonNull(product), Objects.requireNonNull(field));
  }

  /** One field's binding: the associated data's prefix and the product's references. */
  private final class Bound implements Field {
    private final String product;
    private final String field;
    private final String productId;
    private final byte[] adPrefix;
    private final byte[] productKeyPrefix;
    private final Map<String, Ref> subjects;

    /** The last product-key reference read, so that a reader does not decode it per record. */
    private volatile @Nullable Ref lastRead;

    Bound(String product, String field) {
      this.product = product;
      this.field = field;
      this.productId = productId(product);
      this.adPrefix =
          ("mesh-field-v1|" + product + "|" + field + "|").getBytes(StandardCharsets.UTF_8);
      this.productKeyPrefix = (product + "/key/").getBytes(StandardCharsets.UTF_8);
      this.subjects = subjectRefs.computeIfAbsent(product, p -> new ConcurrentHashMap<>());
    }

    private Ref subjectRef(String subject) {
      Ref ref = subjects.get(subject);
      if (ref == null) {
        if (subjects.size() >= MAX_SUBJECT_REFS) {
          subjects.clear(); // a bound, not an eviction policy: hashing again is cheap
        }
        ref = Ref.of(subjectKey(productId, subject));
        subjects.put(subject, ref);
      }
      return ref;
    }

    private byte[] associatedData(byte[] ref, int offset, int length) {
      byte[] ad = Arrays.copyOf(adPrefix, adPrefix.length + length);
      System.arraycopy(ref, offset, ad, adPrefix.length, length);
      return ad;
    }

    @Override
    public byte[] encrypt(@Nullable String subject, byte[] clear) {
      Ref ref = subject == null ? productKey(product) : subjectRef(subject);
      DataKeys.Lookup lookup = keys.lookup(ref.ref(), true);
      if (!(lookup instanceof DataKeys.Lookup.Found found)) {
        // creating never ends absent; a stored key this process may not unwrap is a refusal
        throw new KeyManagementException(
            "no usable data key for " + product + "." + field + " (" + ref.ref() + ")",
            lookup instanceof DataKeys.Lookup.Unusable u ? u.reason() : null);
      }
      byte[] ciphertext;
      try {
        ciphertext =
            found.aead().encrypt(clear, associatedData(ref.bytes(), 0, ref.bytes().length));
      } catch (GeneralSecurityException e) {
        throw new KeyManagementException("cannot encrypt " + product + "." + field, e);
      }
      int n = ref.bytes().length;
      int varint = n < 0x80 ? 1 : n < 0x4000 ? 2 : 3; // references are far below 2 MB
      byte[] out = new byte[1 + varint + n + ciphertext.length];
      int pos = 0;
      out[pos++] = FORMAT;
      while ((n & ~0x7F) != 0) {
        out[pos++] = (byte) ((n & 0x7F) | 0x80);
        n >>>= 7;
      }
      out[pos++] = (byte) n;
      System.arraycopy(ref.bytes(), 0, out, pos, ref.bytes().length);
      System.arraycopy(ciphertext, 0, out, pos + ref.bytes().length, ciphertext.length);
      return out;
    }

    @Override
    public byte @Nullable [] decrypt(@Nullable String subject, byte[] envelope) {
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
      String ref;
      if (subject == null) {
        ref = productRef(envelope, pos, length);
      } else {
        Ref expected = subjectRef(subject);
        if (!Arrays.equals(
            envelope, pos, pos + length, expected.bytes(), 0, expected.bytes().length)) {
          throw new IllegalArgumentException(
              isProductKey(envelope, pos, length) || isSubjectKey(envelope, pos, length)
                  ? "is under another key than this record's subject's (copied from another"
                      + " record?)"
                  : "names a key that is not one of this product's");
        }
        ref = expected.ref();
      }
      byte[] ad = associatedData(envelope, pos, length);
      pos += length;
      // failures to look the key up are outages (thrown, the reader waits); only the answers
      // "no key" and "not for this process" are read as withheld
      DataKeys.Lookup lookup = keys.lookup(ref, false);
      if (lookup instanceof DataKeys.Lookup.Unusable unusable) {
        if (failOnMissingKey) {
          throw new KeyManagementException(
              product + "." + field + ": its data key cannot be used by this reader",
              unusable.reason());
        }
        return null; // the key exists, but this mesh may not unwrap it
      }
      if (!(lookup instanceof DataKeys.Lookup.Found found)) {
        if (subject == null) {
          // product keys are never shredded: a missing one is a damaged or forged envelope (or a
          // key store that has not caught up), never a withheld field
          throw new KeyManagementException(
              product
                  + "."
                  + field
                  + ": its product key "
                  + ref
                  + " is not in the key store (a damaged envelope, or a key store behind the"
                  + " producer's)",
              null);
        }
        if (failOnMissingKey) {
          throw new KeyManagementException(
              product + "." + field + ": its data key is gone (shredded) or was never created",
              null);
        }
        return null;
      }
      byte[] ciphertext = Arrays.copyOfRange(envelope, pos, envelope.length);
      try {
        return found.aead().decrypt(ciphertext, ad);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "does not authenticate (tampered, or another field's)", e);
      }
    }

    /** The product key named by an envelope of a product without a data subject. */
    private String productRef(byte[] envelope, int pos, int length) {
      Ref last = lastRead;
      if (last != null
          && Arrays.equals(envelope, pos, pos + length, last.bytes(), 0, last.bytes().length)) {
        return last.ref();
      }
      if (!isProductKey(envelope, pos, length)) {
        throw new IllegalArgumentException(
            isSubjectKey(envelope, pos, length)
                ? "is under another key than this record's product's (copied from another"
                    + " record?)"
                : "names a key that is not one of this product's");
      }
      Ref read = Ref.of(new String(envelope, pos, length, StandardCharsets.UTF_8));
      lastRead = read;
      return read.ref();
    }

    /** Exactly {@code {product}/key/} and 32 lowercase hex digits. */
    private boolean isProductKey(byte[] b, int pos, int length) {
      int p = productKeyPrefix.length;
      return length == p + 32
          && Arrays.equals(b, pos, pos + p, productKeyPrefix, 0, p)
          && hex(b, pos + p, 32);
    }

    /** Exactly {@code {productId}/subject/} and 64 lowercase hex digits. */
    private boolean isSubjectKey(byte[] b, int pos, int length) {
      byte[] prefix = (productId + "/subject/").getBytes(StandardCharsets.UTF_8);
      return length == prefix.length + 64
          && Arrays.equals(b, pos, pos + prefix.length, prefix, 0, prefix.length)
          && hex(b, pos + prefix.length, 64);
    }
  }

  private static boolean hex(byte[] b, int from, int count) {
    for (int i = from; i < from + count; i++) {
      byte c = b[i];
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /**
   * This process's current key for a product without a data subject, rolled over when it expires or
   * reaches its uses.
   */
  private Ref productKey(String product) {
    ProductKey current = productKeys.get(product);
    if (current != null
        && ticker.getAsLong() - current.expiresAt < 0
        && current.uses.incrementAndGet() <= maxUses) {
      return current.ref;
    }
    // retire it: the first thread here installs a new key, the others use that one
    ProductKey next =
        productKeys.compute(
            product,
            (p, now) ->
                now == current || now == null
                    ? new ProductKey(
                        Ref.of(p + "/key/" + randomHex()),
                        ticker.getAsLong() + productKeyLifetimeNanos)
                    : now);
    next.uses.incrementAndGet(); // a key just installed is used once even if already old
    return next.ref;
  }

  private static String randomHex() {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    return HexFormat.of().formatHex(id);
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
