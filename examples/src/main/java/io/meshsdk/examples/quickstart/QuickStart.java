package io.meshsdk.examples.quickstart;

import io.meshsdk.contract.ContractViolationException;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.MeshSerde;
import java.io.PrintStream;
import java.time.Instant;
import org.apache.avro.SchemaFormatter;

/**
 * The README's quick start: reads the contract of {@link OrderPlaced}, prints its topic and derived
 * schema, checks it against the standard governance policy, and sends one valid and one invalid
 * record through the serde with an in-memory registry.
 */
public final class QuickStart {
  private QuickStart() {}

  /**
   * Runs the quick start, printing to standard output.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  static void run(PrintStream out) {
    // README: contract
    ProductContract<OrderPlaced> contract = ProductContract.of(OrderPlaced.class);
    out.println("product: " + contract.id() + " " + contract.version());
    out.println("topic:   " + contract.topic());
    out.println("subject: " + contract.subject());
    out.println("schema:  " + SchemaFormatter.format("json/pretty", contract.schema()));
    out.println(GovernancePolicy.standard().evaluate(contract));
    // README: end

    // README: serde
    try (InMemorySchemaRegistry registry = new InMemorySchemaRegistry()) {
      MeshSerde<OrderPlaced> serde = MeshSerde.of(contract, registry);
      OrderPlaced order = new OrderPlaced("o-1", "ada@example.com", 4200, "EUR", Instant.now());
      byte[] bytes = serde.serializer().serialize(contract.topic(), order);
      out.println(
          "wire:    "
              + bytes.length
              + " bytes, schema id "
              + registry.latest(contract.subject()).id());
      out.println("read:    " + serde.deserializer().deserialize(contract.topic(), bytes));
      try {
        serde
            .serializer()
            .serialize(contract.topic(), new OrderPlaced("o-2", "nope", -1, "EURO", Instant.now()));
      } catch (ContractViolationException e) {
        out.println("refused: " + e.getMessage());
      }
    }
    // README: end
  }
}
