package io.meshsdk.examples.demo;

import io.meshsdk.Mesh;
import io.meshsdk.MeshBuilder;
import io.meshsdk.catalog.ContractDocuments;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.ContractViolationException;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.examples.analytics.AnalyticsService;
import io.meshsdk.examples.analytics.OrderHistoryView;
import io.meshsdk.examples.analytics.RevenuePerCurrency;
import io.meshsdk.examples.analytics.RevenueStreams;
import io.meshsdk.examples.orders.Money;
import io.meshsdk.examples.orders.OrderMigrations;
import io.meshsdk.examples.orders.OrderPlaced;
import io.meshsdk.examples.orders.OrderPlacedV2;
import io.meshsdk.examples.orders.OrdersService;
import io.meshsdk.examples.shipping.Carriers;
import io.meshsdk.examples.shipping.ShipmentRequested;
import io.meshsdk.examples.shipping.ShipmentStatus;
import io.meshsdk.examples.shipping.ShippingService;
import io.meshsdk.examples.stores.StoreSale;
import io.meshsdk.examples.stores.StoreSalesBridge;
import io.meshsdk.governance.GovernanceException;
import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.migration.MajorVersionRules;
import io.meshsdk.producer.SendResult;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.registry.RestSchemaRegistry;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.streams.MeshStreams;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.testkit.broker.EmbeddedKafkaBroker;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.jspecify.annotations.Nullable;

/**
 * The demo of the README's "run" command: three domains (orders, shipping, analytics) on one mesh,
 * walking through governance, producing and consuming, a refused contract violation, a poison pill
 * dead-lettered and replayed, lineage, a compatible 1.1 and a breaking 2.0 change, a {@code STATE}
 * product computed with Kafka Streams, and the main metrics. Without arguments it starts a KRaft
 * broker in this JVM and uses an in-memory registry; {@code --bootstrap-servers host:port} and
 * {@code --schema-registry http://...} point it at an existing cluster and registry, where it
 * leaves what it created in place.
 *
 * <p>Exits 0 when everything went as shown, 1 with the reason otherwise, 2 on bad arguments.
 */
public final class MeshDemo {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final PrintStream out;
  private final List<String> failures = new ArrayList<>();

  MeshDemo(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the demo.
   *
   * @param args {@code [--bootstrap-servers host:port] [--schema-registry url]}
   */
  public static void main(String[] args) {
    String bootstrap = null;
    String registryUrl = null;
    // arguments may arrive as one string (mvn exec:exec -Ddemo.args="..."); split them
    args =
        String.join(" ", args).trim().isEmpty()
            ? new String[0]
            : String.join(" ", args).trim().split("\\s+");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if ((a.equals("--bootstrap-servers") || a.equals("--schema-registry"))
          && i + 1 < args.length) {
        if (a.equals("--bootstrap-servers")) {
          bootstrap = args[++i];
        } else {
          registryUrl = args[++i];
        }
      } else {
        System.err.println(
            "usage: MeshDemo [--bootstrap-servers host:port] [--schema-registry http://host:port]");
        System.exit(2);
      }
    }
    int code;
    try {
      code = new MeshDemo(System.out).run(bootstrap, registryUrl) ? 0 : 1;
    } catch (Exception e) {
      System.err.println("demo failed: " + e);
      e.printStackTrace();
      code = 1;
    }
    System.exit(code);
  }

  /**
   * Runs the whole walk-through.
   *
   * @param bootstrap an existing cluster, or null for a broker in this JVM
   * @param registryUrl an existing registry, or null for an in-memory one
   * @return whether everything went as shown
   * @throws Exception if a step fails unexpectedly
   */
  public boolean run(@Nullable String bootstrap, @Nullable String registryUrl) throws Exception {
    long started = System.nanoTime();
    EmbeddedKafkaBroker broker = null;
    String servers = bootstrap;
    if (servers == null) {
      step("Starting a Kafka broker (KRaft) inside this JVM");
      broker = EmbeddedKafkaBroker.create().start();
      servers = broker.bootstrapServers();
    }
    SchemaRegistry registry =
        registryUrl == null
            ? new InMemorySchemaRegistry()
            : RestSchemaRegistry.builder(registryUrl.split(",")).build();
    // on a shared cluster, a fresh namespace per run, left in place for inspection
    String prefix =
        bootstrap == null ? "" : "mesh-demo-" + UUID.randomUUID().toString().substring(0, 6) + ".";
    say(
        "Kafka at %s, schema registry %s%s",
        servers,
        registryUrl == null ? "in memory" : registryUrl,
        prefix.isEmpty() ? "" : ", topics prefixed " + prefix);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (Mesh mesh =
        Mesh.builder()
            .application("mesh-demo")
            .bootstrapServers(servers)
            .schemaRegistry(registry)
            .meterRegistry(meters)
            .migrations(OrderMigrations.ALL)
            .topicPrefix(prefix)
            .closeTimeout(Duration.ofSeconds(10))
            // OpenLineage run events to the log (logger io.meshsdk.openlineage), a snapshot every
            // 10 s of this short run; a catalog would take them over http or kafka instead
            .properties(
                Map.of(
                    MeshBuilder.OPENLINEAGE_TRANSPORT, "log",
                    MeshBuilder.OPENLINEAGE_INTERVAL_MS, "10000"))
            .build()) {
      walkThrough(mesh, registry, meters, prefix, servers);
    } finally {
      registry.close();
      if (broker != null) {
        broker.close();
      }
    }
    say("");
    if (bootstrap != null) {
      say(
          "Left in place: the topics %s* and their registry subjects. Inspect them with, e.g.:",
          prefix);
      say(
          "  kafka-console-consumer.sh --bootstrap-server %s --topic %sorders.order-placed.v2 --from-beginning --property print.headers=true",
          servers, prefix);
      if (registryUrl != null) {
        say("  curl %s/subjects", registryUrl.split(",")[0]);
      }
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    if (failures.isEmpty()) {
      say("Everything went as shown (%d s).", seconds);
      return true;
    }
    say("The demo did NOT go as shown:");
    failures.forEach(f -> say("  - %s", f));
    return false;
  }

  private void walkThrough(
      Mesh mesh, SchemaRegistry registry, SimpleMeterRegistry meters, String prefix, String servers)
      throws Exception {
    step("1. Products are declared in code and governed");
    GovernancePolicy policy =
        GovernancePolicy.builder()
            .rule(MajorVersionRules.migrationFromPrevious(OrderMigrations.ALL))
            .rule(MajorVersionRules.sunsetNotice(90))
            .rule(MajorVersionRules.noNeedlessMajor(OrderMigrations.ALL))
            .build();
    for (Class<?> type :
        List.of(
            OrderPlaced.class,
            OrderPlacedV2.class,
            ShipmentRequested.class,
            ShipmentStatus.class,
            OrderHistoryView.class,
            RevenuePerCurrency.class)) {
      ProductContract<?> c = ProductContract.of(type);
      var report = policy.evaluate(c);
      say(
          "  %-28s %-4s owner %-15s topic %-28s %s",
          c.id(),
          c.version(),
          c.owner(),
          prefix + c.topic(),
          report.errors().isEmpty() ? "passes governance" : "REFUSED " + report.errors());
      check(report.errors().isEmpty(), c.id() + " " + c.version() + " should pass governance");
    }
    try {
      GovernancePolicy.standard().enforce(ProductContract.of(NonCompliantProduct.class));
      check(false, "the non-compliant product should have been refused");
    } catch (GovernanceException e) {
      say("  marketing.newsletter-signup refused by the policy:");
      for (String line : e.getMessage().split("\n")) {
        if (!line.isBlank()) {
          say("    %s", line.strip());
        }
      }
    }

    writeCatalog(servers);

    step(
        "2. Shipping and analytics start; orders publishes OrderPlaced 1.0, then the compatible 1.1");
    Carriers carriers = new Carriers();
    ShippingService shipping = new ShippingService(mesh, carriers);
    AnalyticsService analytics = new AnalyticsService(mesh);
    Map<String, ConsumedEvent<ShipmentRequested>> shipments = new ConcurrentHashMap<>();
    mesh.consumer(ShipmentRequested.class)
        .group("demo-lineage-inspector")
        .startFrom(StartPosition.earliest())
        .handle(e -> shipments.put(e.value().orderId(), e))
        .start();
    var v10 = mesh.producer(io.meshsdk.examples.quickstart.OrderPlaced.class);
    for (int i = 1; i <= 3; i++) {
      v10.send(
              new io.meshsdk.examples.quickstart.OrderPlaced(
                  "o-" + i, "buyer" + i + "@example.com", 1000L * i, "EUR", Instant.now()))
          .join();
    }
    say("  orders 1.0: o-1..o-3 sent");
    OrdersService orders = new OrdersService(mesh);
    for (int i = 4; i <= 6; i++) {
      orders
          .place(
              new OrderPlaced(
                  "o-" + i,
                  "buyer" + i + "@example.com",
                  1000L * i,
                  i == 6 ? "USD" : "EUR",
                  Instant.now(),
                  "app"))
          .join();
    }
    String subject = prefix + "orders.order-placed.v1-value";
    say(
        "  orders 1.1: o-4..o-6 sent; registry subject %s now holds versions %s (1.1 accepted as %s-compatible: the registry enforces the declared mode)",
        subject, registry.versions(subject), registry.compatibility(subject));
    check(registry.versions(subject).size() == 2, "the v1 subject should hold 1.0 and 1.1");
    // the registry itself holds the subject to the declared mode, for every client that registers
    check(
        registry.compatibility(subject) == io.meshsdk.schema.Compatibility.FULL_TRANSITIVE,
        "the registry should hold " + subject + " to FULL_TRANSITIVE");
    check(
        waitUntil(() -> shipments.size() >= 6 && analytics.orders() >= 6),
        "shipping and analytics should see o-1..o-6");
    say(
        "  shipping requested %d shipments; analytics (reading with its own 1.0 class from the beginning) counted %d orders",
        shipments.size(), analytics.orders());

    step("3. A contract violation is refused at send, before anything reaches Kafka");
    try {
      orders.place(new OrderPlaced("o-bad", "not-an-email", -5, "EURO", Instant.now(), null));
      check(false, "the invalid order should have been refused");
    } catch (ContractViolationException e) {
      say("  refused: %s", e.getMessage());
    }

    step("4. A poison pill is dead-lettered, then replayed once the cause is fixed");
    orders
        .place(new OrderPlaced("o-7", "buyer7@example.com", 7000, "JPY", Instant.now(), "web"))
        .join();
    check(waitUntil(() -> count(meters, MeshMetrics.DLQ) >= 1), "o-7 should be dead-lettered");
    say(
        "  o-7 (JPY): shipping failed 3 times (\"no carrier serves the JPY zone\") and dead-lettered it to %s",
        shipping.consumer().deadLetterTopic());
    carriers.add("JPY", "yamato");
    long replayed = mesh.deadLetters(OrderPlaced.class, ShippingService.GROUP).replay(WAIT);
    check(waitUntil(() -> shipments.containsKey("o-7")), "o-7 should be shipped after the replay");
    say(
        "  added a carrier for JPY, replayed %d dead letter(s): o-7 shipped by %s",
        replayed, shipments.get("o-7") == null ? "?" : shipments.get("o-7").value().carrier());
    check(replayed == 1, "one dead letter should be replayed");

    step("5. Lineage: one shipment back to its order");
    ConsumedEvent<ShipmentRequested> s = shipments.get("o-5");
    check(
        s != null && !s.lineage().parents().isEmpty(), "the shipment of o-5 should name its order");
    if (s != null) {
      say("  %s  (%s)", s.lineage().self().type(), describe(s.lineage().self()));
      for (EventRef p : s.lineage().parents()) {
        say("    <- %s  (%s)", p.type(), describe(p));
      }
      say("  the order event is a root: it was placed by a customer, not derived");
    }

    step("6. The breaking 2.0 change: a new topic, and a migration period with both majors");
    var v2 = orders.releaseV2();
    say(
        "  orders publishes %s and, translated by the downcast, %s until %s",
        v2.topic(),
        v2.translatedTopic(),
        v2.translatingUntil().map(Instant::toString).orElse("stopped"));
    SendResult r8 =
        orders
            .place(
                new OrderPlacedV2(
                    "o-8",
                    "buyer8@example.com",
                    new Money(8000, "EUR"),
                    Instant.now(),
                    "store",
                    null))
            .join();
    orders
        .place(
            new OrderPlacedV2(
                "o-9",
                "buyer9@example.com",
                new Money(9000, "GBP"),
                Instant.now(),
                "web",
                "WINTER"))
        .join();
    check(
        waitUntil(() -> shipments.containsKey("o-9") && analytics.orders() >= 9),
        "shipping and analytics (both on v1) should receive the 2.0 orders, translated");
    ConsumedEvent<ShipmentRequested> s8 = shipments.get("o-8");
    if (s8 != null) {
      EventRef parent = s8.lineage().parents().get(0);
      say(
          "  shipping (unchanged, v1) shipped o-8 and o-9; o-8's shipment names the translated v1 event %s",
          describe(parent));
      // any Kafka client sees the link: read the translated record's headers with a plain consumer
      String origin = header(servers, parent, MeshHeaders.ORIGIN_ID);
      say(
          "  the translated v1 record has an id of its own (a CloudEvent's source and id are"
              + " unique), carries %s=%s and names the v2 original %s in %s",
          MeshHeaders.TRANSLATED_FROM,
          header(servers, parent, MeshHeaders.TRANSLATED_FROM),
          origin,
          MeshHeaders.ORIGIN_ID);
      check(!parent.id().equals(r8.eventId()), "the translated event has an id of its own");
      check(r8.eventId().equals(origin), "the translated event names the v2 original's id");
    }
    say(
        "  v1 consumers now log a deprecation warning (sunset 2027-06-30) and count %s",
        MeshMetrics.DEPRECATED_CONSUMPTION);

    step("7. Analytics computes a STATE product with Kafka Streams");
    Map<String, Long> streamed = revenueWithKafkaStreams(mesh, analytics);

    step("8. Onboarding: the stores' legacy point-of-sale topic becomes a product");
    onboardLegacySales(mesh, meters, prefix, servers);

    step("9. The figures");
    check(waitUntil(() -> analytics.orders() == 9 && shipments.size() == 9), "9 orders end to end");
    say("  %-44s %10s", "metric", "value");
    say(
        "  %-44s %10.0f",
        "orders produced (without the translations)",
        count(meters, MeshMetrics.PRODUCE, "product", "orders.order-placed")
            - count(meters, MeshMetrics.DUAL_PUBLISH, "outcome", "translated"));
    say("  %-44s %10.0f", "records produced, all products", count(meters, MeshMetrics.PRODUCE));
    say(
        "  %-44s %10.0f",
        "records handled by shipping",
        count(meters, MeshMetrics.CONSUME, "group", ShippingService.GROUP, "outcome", "success"));
    say(
        "  %-44s %10.0f",
        "records handled by analytics (o-7 replayed)",
        count(meters, MeshMetrics.CONSUME, "group", AnalyticsService.GROUP, "outcome", "success"));
    say("  %-44s %10d", "distinct orders counted by analytics", analytics.orders());
    say(
        "  %-44s %10s",
        "freshness, worst (analytics replay)", analytics.maxFreshness().toMillis() + " ms");
    say(
        "  %-44s %10s",
        "freshness, mean (shipping)",
        String.format(Locale.ROOT, "%.1f ms", meanMillis(meters, ShippingService.GROUP)));
    say(
        "  %-44s %10.0f",
        "contract violations refused", count(meters, MeshMetrics.CONTRACT_VIOLATIONS));
    say("  %-44s %10.0f", "dead letters", count(meters, MeshMetrics.DLQ));
    say(
        "  %-44s %10.0f",
        "translated by dual publishing",
        count(meters, MeshMetrics.DUAL_PUBLISH, "outcome", "translated"));
    say(
        "  %-44s %10.0f",
        "records read of a deprecated major", count(meters, MeshMetrics.DEPRECATED_CONSUMPTION));
    say("  analytics revenue by currency (minor units): %s", analytics.revenue());
    say("  the same from Kafka Streams' revenue-per-currency:   %s", streamed);
    say(
        "  %-44s %10.0f",
        "revenue updates written by Kafka Streams",
        count(meters, MeshMetrics.PRODUCE, "product", "analytics.revenue-per-currency"));
    check(count(meters, MeshMetrics.CONTRACT_VIOLATIONS) == 1, "one contract violation");
    // Kafka Streams' repartition and changelog records carry the orders' headers: not orders
    check(
        count(meters, MeshMetrics.PRODUCE, "product", "orders.order-placed")
                - count(meters, MeshMetrics.DUAL_PUBLISH, "outcome", "translated")
            == 9,
        "nine orders produced");
    check(
        count(meters, MeshMetrics.DUAL_PUBLISH, "outcome", "translated") == 2, "two translations");
  }

  /**
   * Step 7: analytics' Kafka Streams application computes {@link RevenuePerCurrency} from the whole
   * history of orders; another reader takes it as an ordinary product, with lineage to the orders.
   *
   * @return the revenue per currency as the product says it, in minor units
   */
  private Map<String, Long> revenueWithKafkaStreams(Mesh mesh, AnalyticsService analytics)
      throws Exception {
    Map<String, ConsumedEvent<RevenuePerCurrency>> latest = new ConcurrentHashMap<>();
    mesh.consumer(RevenuePerCurrency.class)
        .group("demo-revenue-reader")
        .startFrom(StartPosition.earliest())
        .handle(e -> latest.put(e.value().currency(), e))
        .start();
    Path state = Files.createTempDirectory("mesh-demo-streams");
    Map<String, Long> streamed = new java.util.TreeMap<>();
    try (MeshStreams streams = MeshStreams.of(mesh, RevenueStreams.APPLICATION_ID)) {
      Properties props = streams.properties();
      props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
      props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
      props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
      Topology topology = RevenueStreams.topology(streams);
      say(
          "  topology built: governance passed for %s, topic %s created, dead letters to %s",
          ProductContract.of(RevenuePerCurrency.class).id(),
          streams.topic(RevenuePerCurrency.class),
          streams.topic(OrderHistoryView.class) + "." + RevenueStreams.APPLICATION_ID + ".dlq");
      try (KafkaStreams app = new KafkaStreams(topology, props)) {
        app.start();
        check(
            waitUntil(
                () -> {
                  streamed.clear();
                  latest.forEach((c, e) -> streamed.put(c, e.value().cents()));
                  return streamed.equals(analytics.revenue());
                }),
            "Kafka Streams' revenue per currency should equal analytics' own sum "
                + analytics.revenue()
                + ", was "
                + streamed);
        say(
            "  %s (application.id %s) replayed the order history: %d instance, state in %s",
            "Kafka Streams", RevenueStreams.APPLICATION_ID, 1, state);
        for (ConsumedEvent<RevenuePerCurrency> e : new java.util.TreeMap<>(latest).values()) {
          RevenuePerCurrency r = e.value();
          say("  %s  %8d cents from %d orders", r.currency(), r.cents(), r.orders());
        }
        ConsumedEvent<RevenuePerCurrency> eur = latest.get("EUR");
        check(
            eur != null && !eur.lineage().parents().isEmpty(),
            "the EUR revenue should name the order behind its last update");
        if (eur != null && !eur.lineage().parents().isEmpty()) {
          say("  lineage: %s  (%s)", eur.lineage().self().type(), describe(eur.lineage().self()));
          say(
              "    <- %s  (%s), the order behind its last update",
              eur.lineage().parents().get(0).type(), describe(eur.lineage().parents().get(0)));
        }
        say(
            "  a table of orders by id, so o-7's replayed copy replaced o-7 rather than counting"
                + " twice; read by another group as an ordinary Mesh product");
        app.close(Duration.ofSeconds(10));
      }
    }
    return streamed;
  }

  /**
   * Step 8: years of JSON that the tills wrote to a legacy topic (no schema, their own names)
   * become the stores domain's {@link StoreSale} through a bridge; analytics reads the product and
   * traces a sale back to the legacy record it came from.
   */
  private void onboardLegacySales(
      Mesh mesh, SimpleMeterRegistry meters, String prefix, String servers) throws Exception {
    String legacy = prefix + StoreSalesBridge.LEGACY_TOPIC;
    String[][] history = {
      {"R-2019-0001", "12.50", "2019-03-02 10:15:00"},
      {"R-2020-0417", "7.20", "2020-06-11 16:40:12"},
      {"R-2021-1022", "n/a", "2021-12-24 11:05:00"},
      {"R-2022-0093", "130.00", "2022-02-01 09:30:45"},
      {"R-2023-0555", "45.99", "2023-08-19 14:22:03"},
      {"R-2024-0780", "3.10", "2024-10-05 19:58:30"},
      {"R-2025-0012", "18.75", "2025-01-07 08:01:59"}
    };
    List<Long> offsets = new ArrayList<>();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers));
        KafkaProducer<byte[], byte[]> tills =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", servers),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      admin.createTopics(List.of(new NewTopic(legacy, 1, (short) 1))).all().get();
      for (String[] sale : history) {
        long time =
            java.time.LocalDateTime.parse(sale[2].replace(' ', 'T'))
                .toInstant(java.time.ZoneOffset.UTC)
                .toEpochMilli();
        String json =
            String.format(
                Locale.ROOT,
                "{\"receipt\":\"%s\",\"shop\":\"Berlin-1\",\"total\":\"%s\",\"ccy\":\"EUR\","
                    + "\"ts\":\"%s\",\"till\":3}",
                sale[0],
                sale[1],
                sale[2]);
        offsets.add(
            tills
                .send(
                    new ProducerRecord<>(
                        legacy,
                        null,
                        time,
                        sale[0].getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8)))
                .get()
                .offset());
      }
    }
    say(
        "  the tills wrote %d sales from 2019 to 2025 to %s: JSON without a schema, in their own"
            + " names",
        history.length, legacy);
    Map<String, ConsumedEvent<StoreSale>> read = new ConcurrentHashMap<>();
    mesh.consumer(StoreSale.class)
        .group("analytics-store-sales")
        .startFrom(StartPosition.earliest())
        .handle(e -> read.put(e.value().saleId(), e))
        .start();
    var bridge = StoreSalesBridge.start(mesh, legacy);
    check(
        waitUntil(
            () ->
                read.size() == 6
                    && count(meters, "mesh.bridge.records", "outcome", "unmappable") == 1),
        "six sales bridged and one dead-lettered, was " + read.size());
    say(
        "  the bridge mapped %.0f onto %s %s in %s, dead-lettered %.0f (a total of \"n/a\") to %s"
            + " with its original bytes",
        count(meters, "mesh.bridge.records", "outcome", "mapped"),
        ProductContract.of(StoreSale.class).id(),
        ProductContract.of(StoreSale.class).version(),
        bridge.outputTopic(),
        count(meters, "mesh.bridge.records", "outcome", "unmappable"),
        bridge.deadLetterTopic());
    ConsumedEvent<StoreSale> first = read.get("R-2019-0001");
    if (first != null) {
      EventRef parent = first.lineage().parents().get(0);
      say(
          "  analytics read %s, sold %s: %s  (%s)",
          first.value().saleId(),
          first.value().soldAt(),
          first.lineage().self().type(),
          describe(first.lineage().self()));
      say(
          "    <- %s  (%s-%d@%d, the legacy record, written %s)",
          parent.type(), parent.topic(), parent.partition(), parent.offset(), first.eventTime());
      check(
          parent.isExternal() && parent.offset() == offsets.get(0) && parent.topic().equals(legacy),
          "the first sale should name its legacy record as parent");
    }
  }

  /** One header of the record an event reference points at, read with a plain Kafka consumer. */
  /** The documents a catalog reads: ODCS per product version, AsyncAPI per service. */
  private void writeCatalog(String servers) throws java.io.IOException {
    Path catalog = Path.of("target", "mesh-demo-catalog").toAbsolutePath();
    Files.createDirectories(catalog);
    List<String> written = new ArrayList<>();
    for (Class<?> type :
        List.of(
            OrderPlaced.class,
            OrderPlacedV2.class,
            ShipmentRequested.class,
            ShipmentStatus.class,
            RevenuePerCurrency.class)) {
      ProductContract<?> c = ProductContract.of(type);
      String name = c.id() + ".v" + c.version().major() + ".odcs.json";
      Files.writeString(catalog.resolve(name), ContractDocuments.odcs(c, servers));
      written.add(name);
    }
    Map<String, List<List<Class<?>>>> services =
        Map.of(
            "orders",
            List.of(List.of(OrderPlaced.class, OrderPlacedV2.class), List.of()),
            "shipping",
            List.of(
                List.of(ShipmentRequested.class, ShipmentStatus.class), List.of(OrderPlaced.class)),
            "analytics",
            List.of(List.of(RevenuePerCurrency.class), List.of(OrderHistoryView.class)));
    for (String service : List.of("orders", "shipping", "analytics")) {
      List<List<Class<?>>> io = services.get(service);
      String name = service + ".asyncapi.json";
      Files.writeString(
          catalog.resolve(name),
          ContractDocuments.asyncApi(
              service, "1.0.0", servers, contracts(io.get(0)), contracts(io.get(1))));
      written.add(name);
    }
    say("  catalog documents (ODCS per product version, AsyncAPI per service) in %s:", catalog);
    say("    %s", String.join(", ", written));
    say(
        "  OpenLineage run events (START, RUNNING snapshots, COMPLETE at the end) go to the log:"
            + " the lines of io.meshsdk.openlineage");
  }

  private static List<ProductContract<?>> contracts(List<Class<?>> types) {
    List<ProductContract<?>> contracts = new ArrayList<>();
    types.forEach(t -> contracts.add(ProductContract.of(t)));
    return contracts;
  }

  private static @Nullable String header(String servers, EventRef ref, String name) {
    TopicPartition tp = new TopicPartition(ref.topic(), ref.partition());
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", servers),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seek(tp, ref.offset());
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() == ref.offset()) {
            Header h = r.headers().lastHeader(name);
            return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
          }
        }
      }
      return null;
    }
  }

  private static String describe(EventRef r) {
    return r.topic() + "-" + r.partition() + "@" + r.offset() + ", id " + r.id();
  }

  private static double count(SimpleMeterRegistry meters, String name, String... tags) {
    double total = 0;
    for (Meter m : meters.find(name).tags(tags).meters()) {
      if (m instanceof io.micrometer.core.instrument.Counter c) {
        total += c.count();
      } else if (m instanceof Timer t) {
        total += t.count();
      } else if (m instanceof io.micrometer.core.instrument.DistributionSummary d) {
        total += d.count();
      }
    }
    return total;
  }

  private static double meanMillis(SimpleMeterRegistry meters, String group) {
    Timer t = meters.find(MeshMetrics.CONSUME_FRESHNESS).tags("group", group).timer();
    return t == null ? 0 : t.mean(TimeUnit.MILLISECONDS);
  }

  private boolean waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20); // the demo's own polling; tests use the testkit's waiting assertions
    }
    return true;
  }

  private void check(boolean ok, String expectation) {
    if (!ok) {
      failures.add(expectation);
      say("  !! expected: %s", expectation);
    }
  }

  private void step(String title) {
    out.println();
    out.println("== " + title);
  }

  private void say(String format, Object... args) {
    out.println(String.format(Locale.ROOT, format, args));
  }
}
