package io.meshsdk.examples.shipping;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Which carrier ships orders of a currency zone. Thread-safe. */
public final class Carriers {
  private final Map<String, String> byCurrency = new ConcurrentHashMap<>();

  /** Carriers for EUR, USD and GBP. */
  public Carriers() {
    byCurrency.put("EUR", "dhl");
    byCurrency.put("USD", "ups");
    byCurrency.put("GBP", "royal-mail");
  }

  /**
   * Adds or replaces a carrier.
   *
   * @param currency the currency zone
   * @param carrier the carrier
   */
  public void add(String currency, String carrier) {
    byCurrency.put(Objects.requireNonNull(currency), Objects.requireNonNull(carrier));
  }

  /**
   * The carrier of a currency zone.
   *
   * @param currency the currency
   * @return the carrier
   * @throws IllegalStateException when no carrier serves the zone
   */
  public String forCurrency(String currency) {
    String carrier = byCurrency.get(currency);
    if (carrier == null) {
      throw new IllegalStateException("no carrier serves the " + currency + " zone");
    }
    return carrier;
  }
}
