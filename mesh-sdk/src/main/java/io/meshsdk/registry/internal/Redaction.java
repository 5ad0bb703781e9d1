package io.meshsdk.registry.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Makes registry URLs safe to show, whatever the text: user-info (anything between the scheme and
 * the last {@code @} of a URL, or before the last {@code @} without a scheme) and query strings
 * become {@code ***}, and the result is cut at 200 characters. It never parses with {@link URI}
 * first, because a URL that does not parse (a space in the host, a bad escape) is exactly the one
 * whose parse error would quote the password. Stateless.
 */
public final class Redaction {
  private static final int MAX = 200;

  private Redaction() {}

  /**
   * The text with credentials masked: in each URL of it (a comma-separated list included),
   * everything between {@code ://} and the last {@code @} before the next URL, so that a secret
   * holding {@code /}, {@code ?}, {@code #} or {@code ,} is masked whole; without a scheme,
   * everything before the last {@code @}; query strings too.
   *
   * @param raw a URL or a list of URLs as given, possibly malformed
   * @return the text for messages and logs
   */
  public static String url(@Nullable String raw) {
    if (raw == null) {
      return "null";
    }
    String s = raw.strip();
    List<Integer> schemes = new ArrayList<>();
    for (int i = s.indexOf("://"); i >= 0; i = s.indexOf("://", i + 3)) {
      schemes.add(i);
    }
    StringBuilder out = new StringBuilder();
    if (schemes.isEmpty()) {
      int at = s.lastIndexOf('@');
      out.append(at >= 0 ? "***" + s.substring(at) : s);
    } else {
      out.append(s, 0, schemes.get(0) + 3);
      for (int k = 0; k < schemes.size(); k++) {
        int from = schemes.get(k) + 3;
        int to = k + 1 < schemes.size() ? schemes.get(k + 1) : s.length();
        int at = s.lastIndexOf('@', to - 1);
        if (at >= from) {
          out.append("***");
          from = at;
        }
        out.append(s, from, k + 1 < schemes.size() ? to + 3 : to);
      }
    }
    String masked = QUERY.matcher(out).replaceAll("?***");
    return masked.length() > MAX ? masked.substring(0, MAX) + "..." : masked;
  }

  private static final Pattern QUERY = Pattern.compile("\\?[^,#\\s]*");

  /** A parsed registry URL: where to connect, and the user-info it carried (basic auth). */
  public record ParsedUrl(URI uri, @Nullable String userInfo) {
    @Override
    public String toString() {
      return url(uri.toString());
    }
  }

  /**
   * Parses an http(s) registry URL, taking its user-info out.
   *
   * @param raw the URL as given
   * @return the URL without user-info, and the user-info
   * @throws IllegalArgumentException naming the URL with credentials masked, never with the parse
   *     error's own text (which quotes the input) nor with it as the cause
   */
  public static ParsedUrl parseRegistryUrl(String raw) {
    String trimmed = raw.strip();
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "registry URL '" + url(raw) + "' is not a valid URL (at character " + e.getIndex() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "registry URL '" + url(raw) + "' must start with http:// or https://");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("registry URL '" + url(raw) + "' has no valid host name");
    }
    try {
      URI clean =
          new URI(
              uri.getScheme(),
              null,
              uri.getHost(),
              uri.getPort(),
              uri.getPath(),
              uri.getQuery(),
              uri.getFragment());
      return new ParsedUrl(clean, uri.getUserInfo());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("registry URL '" + url(raw) + "' is not a valid URL");
    }
  }

  /**
   * Registry URLs as a contract lock records and compares them: scheme, host, port and path,
   * without credentials, query or a trailing slash.
   *
   * @param urls comma-separated URLs, or {@code ""}
   * @return the normalized URLs
   * @throws IllegalArgumentException if one is not an http(s) URL (shown with credentials masked)
   */
  public static List<String> locations(String urls) {
    List<String> out = new ArrayList<>();
    for (String raw : urls.split(",")) {
      if (raw.isBlank()) {
        continue;
      }
      URI uri = parseRegistryUrl(raw).uri();
      String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
      out.add(
          uri.getScheme().toLowerCase(Locale.ROOT)
              + "://"
              + uri.getHost().toLowerCase(Locale.ROOT)
              + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
              + path);
    }
    return out;
  }
}
