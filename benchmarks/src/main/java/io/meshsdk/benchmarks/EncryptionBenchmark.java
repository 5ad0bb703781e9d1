package io.meshsdk.benchmarks;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.crypto.FieldEncryption;
import io.meshsdk.crypto.InMemoryDataKeyStore;
import io.meshsdk.crypto.KeyManagementService;
import io.meshsdk.crypto.LocalKeyManagementService;
import io.meshsdk.serde.ProductCodec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Field encryption's cost (issue 19), in one run: the benchmark order encoded and decoded in clear
 * and with two encrypted fields (a cached data key), the same codec otherwise. The KMS is counted:
 * after warm-up, no record may call it ({@link #noKmsCallPerRecord} fails the run otherwise). The
 * floor is measured beside them: the same two values encrypted and decrypted with the JDK's AES-GCM
 * alone ({@code jdkGcmFloor*}), what any Java library using the JDK's AES-GCM pays at least.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar EncryptionBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncryptionBenchmark {
  private BenchOrder clear;
  private BenchEncryptedOrder encrypted;
  private ProductCodec<BenchOrder> clearCodec;
  private ProductCodec<BenchEncryptedOrder> encryptedCodec;
  private byte[] clearBytes;
  private byte[] encryptedBytes;
  private final AtomicLong kmsCalls = new AtomicLong();
  private long kmsCallsAfterWarmUp;

  /** Counts the calls of the local KMS. */
  private KeyManagementService counted(KeyManagementService kms) {
    return new KeyManagementService() {
      @Override
      public byte[] wrap(byte[] dataKey, byte[] associatedData) {
        kmsCalls.incrementAndGet();
        return kms.wrap(dataKey, associatedData);
      }

      @Override
      public byte[] unwrap(byte[] wrappedKey, byte[] associatedData) {
        kmsCalls.incrementAndGet();
        return kms.unwrap(wrappedKey, associatedData);
      }
    };
  }

  @Setup
  public void setUp() throws GeneralSecurityException {
    clear = BenchEncryptedOrder.clear();
    encrypted = BenchEncryptedOrder.sample();
    clearCodec = ProductCodec.of(ProductContract.of(BenchOrder.class));
    encryptedCodec =
        ProductCodec.of(
            ProductContract.of(BenchEncryptedOrder.class),
            FieldEncryption.of(
                counted(LocalKeyManagementService.generate()), new InMemoryDataKeyStore()));
    clearBytes = clearCodec.encode(clear);
    encryptedBytes = encryptedCodec.encode(encrypted); // creates the data key: warm-up
    encryptedCodec.decode(encryptedBytes);
    kmsCallsAfterWarmUp = kmsCalls.get();
    setUpFloor();
  }

  @TearDown(Level.Trial)
  public void noKmsCallPerRecord() {
    if (kmsCalls.get() != kmsCallsAfterWarmUp) {
      throw new IllegalStateException(
          "the KMS was called per record: "
              + (kmsCalls.get() - kmsCallsAfterWarmUp)
              + " calls after warm-up");
    }
    System.out.printf("KMS calls after warm-up: 0 (%d during warm-up)%n", kmsCallsAfterWarmUp);
  }

  @Benchmark
  public byte[] clearEncode() {
    return clearCodec.encode(clear);
  }

  @Benchmark
  public byte[] encryptedEncode() {
    return encryptedCodec.encode(encrypted);
  }

  @Benchmark
  public BenchOrder clearDecode() {
    return clearCodec.decode(clearBytes);
  }

  @Benchmark
  public BenchEncryptedOrder encryptedDecode() {
    return encryptedCodec.decode(encryptedBytes);
  }

  // ---- the floor: the JDK's AES-GCM alone, on the same two values ------------------------------

  private javax.crypto.Cipher gcm;
  private javax.crypto.spec.SecretKeySpec gcmKey;
  private final java.security.SecureRandom random = new java.security.SecureRandom();
  private byte[] emailClear;
  private byte[] noteClear;
  private byte[] associatedData;
  private final byte[] emailIv = new byte[12];
  private final byte[] noteIv = new byte[12];
  private byte[] emailSealed;
  private byte[] noteSealed;

  private void setUpFloor() throws GeneralSecurityException {
    byte[] key = new byte[32];
    random.nextBytes(key);
    gcmKey = new javax.crypto.spec.SecretKeySpec(key, "AES");
    gcm = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
    // the clear values' Avro encodings: a length byte (and a union index) before the UTF-8 text
    emailClear = ("x" + encrypted.customerEmail()).getBytes(StandardCharsets.UTF_8);
    noteClear = ("xx" + encrypted.note()).getBytes(StandardCharsets.UTF_8);
    associatedData =
        ("mesh-field-v1|orders.order-placed-encrypted.v1|customerEmail|"
                + "orders.order-placed-encrypted.v1/key/0123456789abcdef0123456789abcdef")
            .getBytes(StandardCharsets.UTF_8);
    emailSealed = seal(emailClear, emailIv);
    noteSealed = seal(noteClear, noteIv);
  }

  private byte[] seal(byte[] clearValue, byte[] iv) throws GeneralSecurityException {
    random.nextBytes(iv);
    gcm.init(Cipher.ENCRYPT_MODE, gcmKey, new GCMParameterSpec(128, iv));
    gcm.updateAAD(associatedData);
    return gcm.doFinal(clearValue);
  }

  private byte[] open(byte[] sealed, byte[] iv) throws GeneralSecurityException {
    gcm.init(Cipher.DECRYPT_MODE, gcmKey, new GCMParameterSpec(128, iv));
    gcm.updateAAD(associatedData);
    return gcm.doFinal(sealed);
  }

  /**
   * The floor of writing: what any Java library encrypting the two fields with the JDK's AES-GCM
   * pays at least (a reused {@code Cipher}, a random nonce each, no envelope, no key lookup).
   */
  @Benchmark
  public byte[] jdkGcmFloorEncrypt() throws GeneralSecurityException {
    seal(emailClear, emailIv);
    return seal(noteClear, noteIv);
  }

  /** The floor of reading: the two values decrypted with the JDK's AES-GCM alone. */
  @Benchmark
  public byte[] jdkGcmFloorDecrypt() throws GeneralSecurityException {
    open(emailSealed, emailIv);
    return open(noteSealed, noteIv);
  }
}
