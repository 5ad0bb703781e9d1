package io.meshsdk.examples.stores;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.meshsdk.Mesh;
import io.meshsdk.bridge.MeshBridge;
import io.meshsdk.bridge.SourceFormat;
import io.meshsdk.bridge.SourceRecord;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The stores domain onboards its point-of-sale topic: years of JSON written by the tills, without a
 * schema, become the governed product {@link StoreSale}. The legacy topic stays as it is; the tills
 * keep writing to it, and the bridge keeps following.
 */
public final class StoreSalesBridge {
  /** The legacy topic the tills write. */
  public static final String LEGACY_TOPIC = "legacy.pos-sales";

  /** The bridge's consumer group: its position in the legacy topic. */
  public static final String GROUP = "stores-pos-bridge";

  private StoreSalesBridge() {}

  /** A sale as the tills write it: their own names, the total as text, local time. */
  // docs/onboarding.md: legacy
  public record LegacySale(
      @JsonProperty("receipt") String receipt,
      @JsonProperty("shop") String shop,
      @JsonProperty("total") String total,
      @JsonProperty("ccy") String currency,
      @JsonProperty("ts") String time) {}

  // docs/onboarding.md: end

  /**
   * Starts the bridge: the whole history first (the group has no position yet), then what the tills
   * write next.
   *
   * @param mesh the stores domain's mesh
   * @param legacyTopic the legacy topic ({@link #LEGACY_TOPIC} in production)
   * @return the running bridge, closed with the mesh
   */
  // docs/onboarding.md: bridge
  public static MeshBridge<LegacySale, StoreSale> start(Mesh mesh, String legacyTopic) {
    return mesh.bridge(SourceFormat.json(LegacySale.class), StoreSale.class)
        .from(legacyTopic)
        .group(GROUP)
        .sourceType("legacy.pos.json")
        .map(StoreSalesBridge::toSale)
        .start();
  }

  // docs/onboarding.md: end

  /**
   * The mapping: names, units and time zone of the tills onto the product. What throws here (a
   * total that is not a number) is dead-lettered with the original bytes; what breaks the contract
   * (a negative total) too.
   */
  // docs/onboarding.md: mapping
  static StoreSale toSale(SourceRecord<LegacySale> record) {
    LegacySale s = record.value();
    long cents = new BigDecimal(s.total()).movePointRight(2).longValueExact();
    return new StoreSale(
        s.receipt(),
        s.shop(),
        cents,
        s.currency(),
        LocalDateTime.parse(s.time().replace(' ', 'T')).toInstant(ZoneOffset.UTC));
  }

  // docs/onboarding.md: end
}
