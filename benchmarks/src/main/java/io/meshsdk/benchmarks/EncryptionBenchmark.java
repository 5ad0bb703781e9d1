package io.meshsdk.benchmarks;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.crypto.FieldEncryption;
import io.meshsdk.crypto.InMemoryDataKeyStore;
import io.meshsdk.crypto.KeyManagementService;
import io.meshsdk.crypto.LocalKeyManagementService;
import io.meshsdk.serde.ProductCodec;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * after warm-up, no record may call it ({@link #noKmsCallPerRecord} fails the run otherwise).
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
  public void setUp() {
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
}
