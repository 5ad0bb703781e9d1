package io.meshsdk.examples.boot;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which carrier ships to each currency zone ({@code shipping.carriers.EUR=dhl} in {@code
 * application.yml}).
 *
 * @param carriers carrier by ISO-4217 currency code
 */
@ConfigurationProperties("shipping")
public record Carriers(Map<String, String> carriers) {
  /**
   * The carrier of a currency zone.
   *
   * @param currency the order's currency
   * @return the carrier
   * @throws IllegalArgumentException if no carrier serves the zone (the order is retried, then
   *     dead-lettered)
   */
  public String forCurrency(String currency) {
    String carrier = carriers.get(currency);
    if (carrier == null) {
      throw new IllegalArgumentException("no carrier serves the " + currency + " zone");
    }
    return carrier;
  }
}
