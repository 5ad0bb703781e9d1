package io.meshsdk.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeyManagementServiceTest {
  private static final byte[] DATA_KEY = "a serialized data keyset".getBytes(UTF_8);
  private static final byte[] REF = "orders.v1/subject-1".getBytes(UTF_8);

  @TempDir Path dir;

  /** The base64 key value in a Tink JSON keyset: what must never show. */
  private static String keyValue(String json) {
    Matcher m = Pattern.compile("\"value\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  /** Every message in a throwable's cause chain, and their class names. */
  private static String allMessages(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c).append('\n');
    }
    return all.toString();
  }

  @Test
  void wrapsAndUnwrapsADataKey() {
    LocalKeyManagementService kms = LocalKeyManagementService.generate();

    byte[] wrapped = kms.wrap(DATA_KEY, REF);

    assertThat(wrapped).isNotEqualTo(DATA_KEY);
    assertThat(kms.unwrap(wrapped, REF)).isEqualTo(DATA_KEY);
  }

  @Test
  void aRotatedKeyEncryptionKeyWrapsWithTheNewKeyAndStillUnwrapsWhatTheOldOneWrapped() {
    LocalKeyManagementService old = LocalKeyManagementService.generate();
    byte[] wrappedBefore = old.wrap(DATA_KEY, REF);
    LocalKeyManagementService rotated =
        LocalKeyManagementService.fromKeysetJson(old.rotate().keysetJson()); // as deployed

    byte[] wrappedAfter = rotated.wrap(DATA_KEY, REF);
    assertThat(rotated.unwrap(wrappedBefore, REF)).isEqualTo(DATA_KEY);
    assertThat(rotated.unwrap(wrappedAfter, REF)).isEqualTo(DATA_KEY);
    // the new primary key is not the old one: a process still on the old keyset cannot unwrap it
    assertThatThrownBy(() -> old.unwrap(wrappedAfter, REF))
        .isInstanceOf(KeyManagementException.class);
    assertThat(rotated.toString()).isNotEqualTo(old.toString()).doesNotContain("value");
  }

  @Test
  void refusesAKeyWrappedByAnotherKeyEncryptionKey() {
    byte[] wrapped = LocalKeyManagementService.generate().wrap(DATA_KEY, REF);
    LocalKeyManagementService other = LocalKeyManagementService.generate();

    assertThatThrownBy(() -> other.unwrap(wrapped, REF))
        .isInstanceOf(KeyManagementException.class)
        .hasMessageContaining("refused to unwrap");
  }

  @Test
  void refusesOtherAssociatedData() {
    LocalKeyManagementService kms = LocalKeyManagementService.generate();
    byte[] wrapped = kms.wrap(DATA_KEY, REF);

    assertThatThrownBy(() -> kms.unwrap(wrapped, "orders.v1/subject-2".getBytes(UTF_8)))
        .isInstanceOf(KeyManagementException.class);
  }

  @Test
  void exportedKeysetOpensWhatTheGeneratedOneWrapped() {
    LocalKeyManagementService generated = LocalKeyManagementService.generate();
    byte[] wrapped = generated.wrap(DATA_KEY, REF);

    LocalKeyManagementService imported =
        LocalKeyManagementService.fromKeysetJson(generated.keysetJson());

    assertThat(imported.unwrap(wrapped, REF)).isEqualTo(DATA_KEY);
  }

  @Test
  void readsAKeysetFile() throws Exception {
    LocalKeyManagementService generated = LocalKeyManagementService.generate();
    Path file = Files.writeString(dir.resolve("kek.json"), generated.keysetJson());

    LocalKeyManagementService fromFile = LocalKeyManagementService.fromFile(file);

    assertThat(fromFile.unwrap(generated.wrap(DATA_KEY, REF), REF)).isEqualTo(DATA_KEY);
    assertThat(fromFile.toString()).contains(file.toString());
  }

  @Test
  void namesAMissingFile() {
    Path missing = dir.resolve("missing.json");

    assertThatThrownBy(() -> LocalKeyManagementService.fromFile(missing))
        .isInstanceOf(KeyManagementException.class)
        .hasMessageContaining("no keyset file")
        .hasMessageContaining(missing.toString());
  }

  @Test
  void namesAFileThatIsNotAKeysetWithoutShowingItsContent() throws Exception {
    String json = LocalKeyManagementService.generate().keysetJson();
    // cut short: still holds the key value, no longer a keyset
    String broken = json.substring(0, json.length() - 20);
    Path file = Files.writeString(dir.resolve("kek.json"), broken);

    assertThatThrownBy(() -> LocalKeyManagementService.fromFile(file))
        .isInstanceOf(KeyManagementException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not a Tink JSON keyset")
        .satisfies(e -> assertThat(allMessages(e)).doesNotContain(keyValue(json)));
  }

  @Test
  void refusesAKeysetThatIsNotAnAead() throws Exception {
    MacConfig.register();
    String mac =
        TinkJsonProtoKeysetFormat.serializeKeyset(
            KeysetHandle.generateNew(PredefinedMacParameters.HMAC_SHA256_256BITTAG),
            InsecureSecretKeyAccess.get());
    Path file = Files.writeString(dir.resolve("mac.json"), mac);

    assertThatThrownBy(() -> LocalKeyManagementService.fromFile(file))
        .isInstanceOf(KeyManagementException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not an AEAD keyset")
        .satisfies(e -> assertThat(allMessages(e)).doesNotContain(keyValue(mac)));
  }

  @Test
  void readsTheEnvironmentAsJsonOrBase64() {
    LocalKeyManagementService generated = LocalKeyManagementService.generate();
    String json = generated.keysetJson();
    byte[] wrapped = generated.wrap(DATA_KEY, REF);
    Map<String, String> env =
        Map.of(
            "KEK_JSON", "\n" + json + "\n",
            "KEK_BASE64", Base64.getEncoder().encodeToString(json.getBytes(UTF_8)),
            "KEK_BASE64_MIME", Base64.getMimeEncoder().encodeToString(json.getBytes(UTF_8)),
            "KEK_BASE64_URL",
                Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(UTF_8)));

    for (String variable : env.keySet()) {
      LocalKeyManagementService kms = LocalKeyManagementService.fromEnvironment(variable, env::get);
      assertThat(kms.unwrap(wrapped, REF)).as(variable).isEqualTo(DATA_KEY);
      assertThat(kms.toString()).contains(variable);
    }
  }

  @Test
  void namesAMissingOrBlankVariable() {
    Map<String, String> env = Map.of("BLANK", "  ");

    assertThatThrownBy(() -> LocalKeyManagementService.fromEnvironment("MESH_KEK", env::get))
        .isInstanceOf(KeyManagementException.class)
        .hasMessage("The environment variable MESH_KEK is not set");
    assertThatThrownBy(() -> LocalKeyManagementService.fromEnvironment("BLANK", env::get))
        .isInstanceOf(KeyManagementException.class)
        .hasMessageContaining("BLANK is not set");
  }

  @Test
  void namesAVariableThatIsNotAKeysetWithoutShowingItsValue() {
    String json = LocalKeyManagementService.generate().keysetJson();
    String key = keyValue(json);
    Map<String, String> env =
        Map.of(
            "NOT_BASE64", "%" + key,
            "BASE64_OF_NO_KEYSET",
                Base64.getEncoder()
                    .encodeToString(json.substring(0, json.length() - 20).getBytes(UTF_8)),
            "BROKEN_JSON", json.substring(0, json.length() - 20));

    for (String variable : env.keySet()) {
      assertThatThrownBy(() -> LocalKeyManagementService.fromEnvironment(variable, env::get))
          .as(variable)
          .isInstanceOf(KeyManagementException.class)
          .hasMessageContaining(variable)
          .satisfies(e -> assertThat(allMessages(e)).doesNotContain(key));
    }
  }

  @Test
  void showsNoKeyMaterial() {
    LocalKeyManagementService kms = LocalKeyManagementService.generate();
    String key = keyValue(kms.keysetJson());
    LocalKeyManagementService other = LocalKeyManagementService.generate();
    byte[] wrapped = other.wrap(DATA_KEY, REF);

    assertThat(kms.toString()).doesNotContain(key).contains("primary key id");
    assertThatThrownBy(() -> kms.unwrap(wrapped, REF))
        .satisfies(e -> assertThat(allMessages(e)).doesNotContain(key));
  }
}
