package io.meshsdk.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.meshsdk.crypto.internal.TinkKeysets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A key-encryption key held in this process as a Tink AEAD keyset: for development, tests and
 * single-machine setups. In production the key-encryption key belongs in a KMS ({@link
 * TinkKeyManagementService}), so that it never sits in the application's memory, files or
 * environment.
 *
 * <p>The keyset is Tink's JSON keyset format, as written by {@code tinkey create-keyset
 * --key-template AES256_GCM --out-format json} or by {@link #keysetJson()}. Every key in it must be
 * an AEAD key; the primary key wraps, any key unwraps (so a rotated keyset still opens older
 * wrapped keys).
 *
 * <p>Errors name the file or the environment variable, never their content; {@link #toString()}
 * shows where the keyset came from and its primary key id (a public identifier that Tink writes in
 * front of every ciphertext), never key material.
 *
 * <p>Thread-safety: immutable; share one instance.
 */
public final class LocalKeyManagementService implements KeyManagementService {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final KeysetHandle keyset;
  private final Aead kek;
  private final String source;

  private LocalKeyManagementService(KeysetHandle keyset, String source) {
    this.kek = TinkKeysets.aead(keyset, "the keyset " + source);
    this.keyset = keyset;
    this.source = source;
  }

  /**
   * A fresh key-encryption key (one AES256-GCM key), known only to this instance until exported
   * with {@link #keysetJson()}: data keys it wraps are lost with it.
   *
   * @return the service
   * @throws KeyManagementException if Tink cannot create the key
   */
  public static LocalKeyManagementService generate() {
    return new LocalKeyManagementService(TinkKeysets.newAes256Gcm(), "generated in this process");
  }

  /**
   * Key rotation: the same keyset with a new AES256-GCM key as primary. The rotated service wraps
   * new data keys with the new key and still unwraps every data key the earlier keys wrapped;
   * export it with {@link #keysetJson()} and replace the old keyset with it everywhere. (A cloud
   * KMS rotates its key versions itself; {@code docs/security.md}.)
   *
   * @return the rotated service; this one is unchanged
   * @throws KeyManagementException if Tink cannot create the key
   */
  public LocalKeyManagementService rotate() {
    try {
      KeysetHandle rotated =
          KeysetHandle.newBuilder(keyset)
              .addEntry(
                  KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                      .withRandomId()
                      .makePrimary())
              .build();
      return new LocalKeyManagementService(rotated, source + ", rotated");
    } catch (GeneralSecurityException e) {
      throw new KeyManagementException("cannot rotate the key-encryption key " + source, e);
    }
  }

  /**
   * A key-encryption key from a Tink JSON keyset.
   *
   * @param json the keyset, in cleartext
   * @return the service
   * @throws KeyManagementException if the text is not a Tink keyset, or not an AEAD keyset
   */
  public static LocalKeyManagementService fromKeysetJson(String json) {
    Objects.requireNonNull(json, "json");
    return parse(json, "given as JSON");
  }

  /**
   * A key-encryption key from a file holding a Tink JSON keyset (UTF-8), for example one written by
   * Tinkey. Keep the file readable by the application only.
   *
   * @param file the keyset file
   * @return the service
   * @throws KeyManagementException naming the file if it is missing or unreadable, or does not hold
   *     a Tink AEAD keyset
   */
  public static LocalKeyManagementService fromFile(Path file) {
    Objects.requireNonNull(file, "file");
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new KeyManagementException("There is no keyset file " + file, null);
    } catch (IOException e) {
      // an IOException names the file and the reason, never the file's content
      throw new KeyManagementException("The keyset file " + file + " could not be read", e);
    }
    return parse(json, "in the file " + file);
  }

  /**
   * A key-encryption key from an environment variable holding a Tink JSON keyset, either as is (the
   * value starts with <code>{</code>) or encoded in base64 (standard or URL-safe alphabet, padding
   * optional, line breaks ignored), which keeps the value on one line: {@code export
   * MESH_KEK=$(base64 -w0 kek.json)}.
   *
   * @param variable the name of the environment variable
   * @return the service
   * @throws KeyManagementException naming the variable if it is not set or blank, is neither JSON
   *     nor base64, or does not hold a Tink AEAD keyset
   */
  public static LocalKeyManagementService fromEnvironment(String variable) {
    return fromEnvironment(variable, System::getenv);
  }

  /** {@link #fromEnvironment(String)} reading from a given environment (tests). */
  static LocalKeyManagementService fromEnvironment(
      String variable, Function<String, @Nullable String> environment) {
    Objects.requireNonNull(variable, "variable");
    String value = environment.apply(variable);
    String source = "in the environment variable " + variable;
    if (value == null || value.isBlank()) {
      throw new KeyManagementException(
          "The environment variable " + variable + " is not set", null);
    }
    String trimmed = value.strip();
    if (trimmed.startsWith("{")) {
      return parse(trimmed, source);
    }
    String compact = WHITESPACE.matcher(trimmed).replaceAll("");
    byte[] decoded;
    try {
      decoded =
          compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0
              ? Base64.getUrlDecoder().decode(compact)
              : Base64.getDecoder().decode(compact);
    } catch (IllegalArgumentException e) {
      // the decoder's message quotes the offending character: not passed on
      throw new KeyManagementException(
          "The environment variable " + variable + " holds neither a JSON keyset nor base64 of one",
          null);
    }
    return parse(new String(decoded, StandardCharsets.UTF_8), source);
  }

  private static LocalKeyManagementService parse(String json, String source) {
    TinkKeysets.ensureRegistered();
    KeysetHandle keyset;
    try {
      keyset = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException | RuntimeException e) {
      // Not chained: a JSON parser's message may quote the input, which is key material.
      throw new KeyManagementException(
          "The keyset " + source + " is not a Tink JSON keyset (" + e.getClass().getName() + ")",
          null);
    }
    return new LocalKeyManagementService(keyset, source);
  }

  /**
   * The keyset as Tink JSON, to bootstrap a development setup or share a generated key-encryption
   * key between the parts of a test. This is the key-encryption key in cleartext: whoever holds it
   * can unwrap every data key it wrapped. Never log it or commit it.
   *
   * @return the keyset in Tink's JSON format
   * @throws KeyManagementException if Tink cannot serialize the keyset
   */
  public String keysetJson() {
    try {
      return TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new KeyManagementException("The keyset " + source + " could not be serialized", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyManagementException if Tink fails to encrypt
   */
  @Override
  public byte[] wrap(byte[] dataKey, byte[] associatedData) {
    Objects.requireNonNull(dataKey, "dataKey");
    Objects.requireNonNull(associatedData, "associatedData");
    try {
      return kek.encrypt(dataKey, associatedData);
    } catch (GeneralSecurityException e) {
      throw new KeyManagementException(this + " could not wrap a data key", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyManagementException if the wrapped key was made by another key-encryption key, for
   *     other associated data, or is damaged
   */
  @Override
  public byte[] unwrap(byte[] wrappedKey, byte[] associatedData) {
    Objects.requireNonNull(wrappedKey, "wrappedKey");
    Objects.requireNonNull(associatedData, "associatedData");
    try {
      return kek.decrypt(wrappedKey, associatedData);
    } catch (GeneralSecurityException e) {
      throw new KeyManagementException(
          this
              + " refused to unwrap a data key: wrapped by another key-encryption key, for another"
              + " key reference, or damaged",
          e);
    }
  }

  /** Where the keyset came from and its primary key id; never key material. */
  @Override
  public String toString() {
    return "LocalKeyManagementService[keyset "
        + source
        + ", primary key id "
        + Integer.toUnsignedString(keyset.getPrimary().getId())
        + "]";
  }
}
