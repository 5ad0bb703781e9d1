package io.meshsdk.crypto;

import com.google.crypto.tink.Aead;
import java.io.IOException;
import java.lang.reflect.Method;
import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A key-encryption key behind any Tink {@link Aead}: this is how a cloud KMS plugs in. Tink's KMS
 * integrations hand out such an {@code Aead} for a key URI, whose every call goes to the KMS, so
 * the key-encryption key never leaves it:
 *
 * <pre>{@code
 * // com.google.crypto.tink:tink-gcpkms (Google Cloud KMS); tink-awskms is alike for AWS KMS
 * String uri = "gcp-kms://projects/p/locations/l/keyRings/r/cryptoKeys/mesh-kek";
 * KeyManagementService kms =
 *     TinkKeyManagementService.of(new GcpKmsClient().withDefaultCredentials().getAead(uri), uri);
 * }</pre>
 *
 * <p>HashiCorp Vault's transit engine, or any other service, plugs in the same way through an
 * {@code Aead} of its own. The description names the key in messages and {@link #toString()}: give
 * a key URI or a name, never a credential.
 *
 * <p>Failures are told apart as {@link KeyManagementException#isRetriable()} says: an outage (the
 * KMS unreachable, timing out, throttling or unavailable: the same call may succeed later, and a
 * consumer waits for it) or a refusal (no permission, another key: a consumer reads the field as
 * withheld). Tink's KMS clients wrap their SDK's exceptions in a {@code GeneralSecurityException},
 * so the default test ({@link #isOutage}) looks through the causes for an {@code IOException}, a
 * {@code TimeoutException}, or an exception whose class name says time-out, throttling or
 * unavailability; give your own with {@link #of(Aead, String, Predicate)}.
 *
 * <p>Thread-safety: as thread-safe as the {@code Aead} given (Tink's primitives are); share one
 * instance. The {@code Aead} is not owned: this class has nothing to close.
 */
public final class TinkKeyManagementService implements KeyManagementService {
  private final Aead kek;
  private final String description;
  private final Predicate<Throwable> outage;

  private TinkKeyManagementService(Aead kek, String description, Predicate<Throwable> outage) {
    this.kek = kek;
    this.description = description;
    this.outage = outage;
  }

  /**
   * Adapts an {@code Aead} holding (or standing for) the key-encryption key.
   *
   * @param kek the key-encryption key, for example {@code KmsClient.getAead(keyUri)}
   * @param description what the key is (a key URI or name) for messages; never a secret
   * @return the service
   * @throws IllegalArgumentException if the description is blank
   */
  public static TinkKeyManagementService of(Aead kek, String description) {
    return of(kek, description, TinkKeyManagementService::isOutage);
  }

  /**
   * Adapts an {@code Aead}, with its own test of which failures are outages.
   *
   * @param kek the key-encryption key, for example {@code KmsClient.getAead(keyUri)}
   * @param description what the key is (a key URI or name) for messages; never a secret
   * @param isOutage given what the {@code Aead} threw, whether it is an outage (retriable) rather
   *     than a refusal
   * @return the service
   * @throws IllegalArgumentException if the description is blank
   */
  public static TinkKeyManagementService of(
      Aead kek, String description, Predicate<Throwable> isOutage) {
    Objects.requireNonNull(kek, "kek");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(isOutage, "isOutage");
    if (description.isBlank()) {
      throw new IllegalArgumentException("description must not be blank");
    }
    return new TinkKeyManagementService(kek, description, isOutage);
  }

  /**
   * The default test of an outage, looking through the causes (outermost first) for the first that
   * says:
   *
   * <ul>
   *   <li>an HTTP status ({@code getStatusCode()} or {@code statusCode()}, as Google's HTTP client
   *       and the AWS SDKs have): 408, 429 and 5xx are outages, other statuses refusals (403: no
   *       permission; 400: another key or damaged input), except an error code naming throttling
   *       ({@code getErrorCode()}: AWS's {@code ThrottlingException} comes with a 400);
   *   <li>a gRPC status by class name ({@code UnavailableException}, {@code
   *       DeadlineExceededException}, {@code ResourceExhaustedException}, {@code AbortedException},
   *       {@code InternalException}): outages; {@code PermissionDeniedException}, {@code
   *       InvalidArgumentException} and the like: refusals;
   *   <li>a network failure ({@code IOException} without a status: unreachable, reset, socket
   *       time-out), a {@code TimeoutException}, or a class named for a time-out, throttling or
   *       unavailability: an outage.
   * </ul>
   *
   * <p>Anything else is a refusal.
   *
   * @param failure what the {@code Aead} threw
   * @return whether the same call may succeed later
   */
  public static boolean isOutage(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
      Integer status = httpStatus(t);
      if (status != null) {
        return status == 408 || status == 429 || status >= 500 || throttling(t);
      }
      String name = t.getClass().getSimpleName();
      if (GRPC_OUTAGES.contains(name)) {
        return true;
      }
      if (GRPC_REFUSALS.contains(name)) {
        return false;
      }
      if (t instanceof IOException
          || t instanceof TimeoutException
          || name.contains("Timeout")
          || name.contains("Throttl")
          || name.contains("Unavailable")
          || name.contains("TooManyRequests")) {
        return true;
      }
    }
    return false;
  }

  private static final Set<String> GRPC_OUTAGES =
      Set.of(
          "UnavailableException",
          "DeadlineExceededException",
          "ResourceExhaustedException",
          "AbortedException",
          "InternalException");

  private static final Set<String> GRPC_REFUSALS =
      Set.of(
          "PermissionDeniedException",
          "UnauthenticatedException",
          "InvalidArgumentException",
          "NotFoundException",
          "FailedPreconditionException");

  /** The HTTP status a client's exception carries, if it has one, by its accessor's name. */
  private static @Nullable Integer httpStatus(Throwable t) {
    for (String accessor : new String[] {"getStatusCode", "statusCode"}) {
      try {
        Method m = t.getClass().getMethod(accessor);
        if (m.getReturnType() == int.class) {
          int status = (int) m.invoke(t);
          return status > 0 ? status : null;
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        // no such accessor, or it failed: no status
      }
    }
    return null;
  }

  /** Whether an error code says throttling (AWS answers throttling with a 400). */
  private static boolean throttling(Throwable t) {
    try {
      Object code = t.getClass().getMethod("getErrorCode").invoke(t);
      return code instanceof String s && (s.contains("Throttl") || s.contains("TooManyRequests"));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyManagementException naming the description if the {@code Aead} (the KMS) fails or
   *     refuses
   */
  @Override
  public byte[] wrap(byte[] dataKey, byte[] associatedData) {
    Objects.requireNonNull(dataKey, "dataKey");
    Objects.requireNonNull(associatedData, "associatedData");
    try {
      return kek.encrypt(dataKey, associatedData);
    } catch (GeneralSecurityException | RuntimeException e) {
      // a KMS client may fail with its own unchecked exceptions (network, credentials)
      throw failed("wrap", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyManagementException naming the description if the {@code Aead} (the KMS) fails or
   *     refuses: no permission, another key-encryption key, other associated data, a damaged key
   */
  @Override
  public byte[] unwrap(byte[] wrappedKey, byte[] associatedData) {
    Objects.requireNonNull(wrappedKey, "wrappedKey");
    Objects.requireNonNull(associatedData, "associatedData");
    try {
      return kek.decrypt(wrappedKey, associatedData);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw failed("unwrap", e);
    }
  }

  /** What the KMS threw, as an outage or a refusal. */
  private KeyManagementException failed(String operation, Exception e) {
    boolean retriable = outage.test(e);
    return new KeyManagementException(
        "The key-encryption key "
            + description
            + (retriable ? " is unavailable: it could not " : " could not ")
            + operation
            + " a data key",
        e,
        retriable);
  }

  /** The description; never key material. */
  @Override
  public String toString() {
    return "TinkKeyManagementService[" + description + "]";
  }
}
