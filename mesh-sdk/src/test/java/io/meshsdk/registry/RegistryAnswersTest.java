package io.meshsdk.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.fixtures.OrderPlaced;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.serde.RecordDecodingException;
import io.meshsdk.serde.WireFormat;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Which registry answers are definite (a record of that schema can never be read) and which are not
 * (a consumer waits): only a definite answer may turn a record into a dead letter.
 */
class RegistryAnswersTest {
  private static byte[] framed(int id) {
    byte[] b = new byte[WireFormat.HEADER_SIZE + 1];
    WireFormat.writeHeader(id, b, 0);
    return b;
  }

  /** Avro refuses an invalid default with AvroTypeException, not SchemaParseException. */
  @Test
  void aSchemaAvroRefusesIsAnInvalidSchemaNotAnOutage() throws Exception {
    try (ConfluentStub stub = new ConfluentStub().start()) {
      stub.rawById.put(
          77,
          new ObjectMapper()
              .createObjectNode()
              .put(
                  "schema",
                  "{\"type\":\"record\",\"name\":\"R\",\"fields\":"
                      + "[{\"name\":\"n\",\"type\":\"int\",\"default\":\"not a number\"}]}"));
      SchemaRegistry registry = RestSchemaRegistry.builder(stub.url()).build();

      SchemaRegistryException e =
          catchThrowableOfType(SchemaRegistryException.class, () -> registry.schemaById(77));
      assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INVALID_SCHEMA);
      assertThat(e.isRetriable()).isFalse();
      RecordDecodingException d =
          catchThrowableOfType(
              RecordDecodingException.class,
              () ->
                  MeshDeserializer.of(ProductContract.of(OrderPlaced.class), registry)
                      .deserialize("t", framed(77)));
      assertThat(d.reason()).isEqualTo(RecordDecodingException.Reason.INCOMPATIBLE_WRITER_SCHEMA);
    }
  }

  /** A proxy in front of a registry that is down may answer 404: that is not "no such schema". */
  @Test
  void aBare404IsNotTakenForNotFound() throws Exception {
    HttpServer proxy =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    proxy.createContext(
        "/",
        x -> {
          byte[] page = "<html>default backend - 404</html>".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(404, page.length);
          x.getResponseBody().write(page);
          x.close();
        });
    proxy.start();
    try {
      SchemaRegistry registry =
          RestSchemaRegistry.builder("http://127.0.0.1:" + proxy.getAddress().getPort())
              .callTimeout(Duration.ofSeconds(5))
              .build();

      SchemaRegistryException e =
          catchThrowableOfType(SchemaRegistryException.class, () -> registry.schemaById(5));
      assertThat(e.kind())
          .isNotIn(
              SchemaRegistryException.Kind.SCHEMA_NOT_FOUND,
              SchemaRegistryException.Kind.SUBJECT_NOT_FOUND);
      assertThat(e.getMessage()).contains("no registry error code");
      // a consumer gets the registry failure (and waits), not a decoding failure (a dead letter)
      SchemaRegistryException fromDeserializer =
          catchThrowableOfType(
              SchemaRegistryException.class,
              () ->
                  MeshDeserializer.of(ProductContract.of(OrderPlaced.class), registry)
                      .deserialize("t", framed(5)));
      assertThat(fromDeserializer).isNotNull();
    } finally {
      proxy.stop(0);
    }
  }
}
