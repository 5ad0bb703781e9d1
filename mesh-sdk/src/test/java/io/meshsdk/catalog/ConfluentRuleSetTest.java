package io.meshsdk.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The generated CEL rules, evaluated with Google's CEL runtime (the language Confluent's rule
 * executors run) on messages shaped as Confluent presents an Avro record to CEL: a valid message
 * passes every rule, and each broken constraint fails exactly its own rule.
 */
class ConfluentRuleSetTest {

  /** A line of an order. */
  public record Line(
      @Doc("SKU") @Pattern(regexp = "[A-Z]{3}-[0-9]+") String sku, @Positive int qty) {}

  @DataProduct(domain = "t", name = "ruled", version = "1.0", owner = "o", description = "d")
  public record Ruled(
      @Key @NotBlank String id,
      @Email String email,
      @Size(min = 3, max = 3) String currency,
      @Nullable @Size(max = 5) String note,
      @Min(1) @Max(100) long count,
      @Min(0) double ratio,
      @Size(min = 1) List<Line> lines,
      @Pattern(regexp = "(?=.*x).*") String lookahead,
      @Past Instant at) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS) // all(), as Confluent's runtime has
          .addVar("message", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private static Map<String, Object> valid() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", "o-1");
    m.put("email", "a@b.example");
    m.put("currency", "EUR");
    m.put("note", NullValue.NULL_VALUE); // an Avro null, as CEL sees it
    m.put("count", 5L);
    m.put("ratio", 0.5);
    m.put("lines", List.of(line("ABC-1", 2L), line("XYZ-22", 1L)));
    m.put("lookahead", "x");
    m.put("at", 1_700_000_000_000L);
    return m;
  }

  private static Map<String, Object> line(String sku, long qty) {
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("sku", sku);
    l.put("qty", qty);
    return l;
  }

  /** The names of the rules a message breaks. */
  private static List<String> broken(JsonNode rules, Map<String, Object> message) throws Exception {
    List<String> names = new java.util.ArrayList<>();
    for (JsonNode rule : rules) {
      CelRuntime.Program program =
          RUNTIME.createProgram(COMPILER.compile(rule.get("expr").asText()).getAst());
      if (!Boolean.TRUE.equals(program.eval(Map.of("message", message)))) {
        names.add(rule.get("name").asText());
      }
    }
    return names;
  }

  private static List<String> brokenBy(JsonNode rules, Consumer<Map<String, Object>> change)
      throws Exception {
    Map<String, Object> m = new HashMap<>(valid());
    change.accept(m);
    return broken(rules, m);
  }

  @Test
  void eachConstraintIsARuleThatFailsExactlyWhenTheConstraintIsBroken() throws Exception {
    JsonNode rules =
        JSON.readTree(ContractDocuments.confluentRuleSet(ProductContract.of(Ruled.class)))
            .get("domainRules");
    assertThat(rules)
        .allSatisfy(
            r -> {
              assertThat(r.get("kind").asText()).isEqualTo("CONDITION");
              assertThat(r.get("type").asText()).isEqualTo("CEL");
              assertThat(r.get("mode").asText()).isEqualTo("WRITE");
            });
    assertThat(broken(rules, valid())).isEmpty();

    assertThat(brokenBy(rules, m -> m.put("id", "  "))).containsExactly("id-NotBlank");
    assertThat(brokenBy(rules, m -> m.put("email", "nobody"))).containsExactly("email-Email");
    assertThat(brokenBy(rules, m -> m.put("currency", "EURO"))).containsExactly("currency-Size");
    assertThat(brokenBy(rules, m -> m.put("note", "too long"))).containsExactly("note-Size");
    assertThat(brokenBy(rules, m -> m.put("note", "fine"))).isEmpty();
    assertThat(brokenBy(rules, m -> m.put("count", 0L))).containsExactly("count-Min");
    assertThat(brokenBy(rules, m -> m.put("count", 101L))).containsExactly("count-Max");
    assertThat(brokenBy(rules, m -> m.put("ratio", -0.1))).containsExactly("ratio-Min");
    assertThat(brokenBy(rules, m -> m.put("lines", List.of()))).containsExactly("lines-Size");
    assertThat(brokenBy(rules, m -> m.put("lines", List.of(line("abc-1", 1L)))))
        .containsExactly("lines.sku-Pattern");
    assertThat(brokenBy(rules, m -> m.put("lines", List.of(line("ABC-1", 0L)))))
        .containsExactly("lines.qty-Positive");
  }

  @Test
  void constraintsCelCannotExpressTheSameWayAreLeftOut() throws Exception {
    JsonNode rules =
        JSON.readTree(ContractDocuments.confluentRuleSet(ProductContract.of(Ruled.class)))
            .get("domainRules");
    List<String> names = new java.util.ArrayList<>();
    rules.forEach(r -> names.add(r.get("name").asText()));
    // a look-ahead pattern (RE2 has none) and a time rule (no clock in Confluent's CEL)
    assertThat(names).doesNotContain("lookahead-Pattern", "at-Past").contains("id-NotBlank");
  }
}
