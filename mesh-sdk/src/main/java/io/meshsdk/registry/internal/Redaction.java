package io.meshsdk.registry.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Makes registry URLs safe to show, whatever the text: user-info (anything before an {@code @} in
 * the authority, with or without a scheme) and query strings become {@code ***}, and the result is
 * cut at 200 characters. It never parses with {@link URI} first, because a URL that does not parse
 * (a space in the host, a bad escape) is exactly the one whose parse error would quote the
 * password. Stateless.
 */
public final class Redaction {
  private static final int MAX = 200;

  private Redaction() {}

  /**
   * The text with credentials masked.
   *
   * @param raw a URL as given, possibly malformed
   * @return the URL for messages and logs
   */
  public static String url(@Nullable String raw) {
    if (raw == null) {
      return "null";
    }
    String s = raw.strip();
    int schemeEnd = s.indexOf("://");
    int authorityStart = schemeEnd >= 0 ? schemeEnd + 3 : 0;
    int authorityEnd = s.length();
    for (int i = authorityStart; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        authorityEnd = i;
        break;
      }
    }
    int at = s.lastIndexOf('@', authorityEnd - 1);
    StringBuilder out = new StringBuilder();
    if (at >= authorityStart) {
      out.append(s, 0, authorityStart).append("***@").append(s, at + 1, authorityEnd);
    } else {
      out.append(s, 0, authorityEnd);
    }
    String rest = s.substring(authorityEnd);
    int query = rest.indexOf('?');
    if (query >= 0) {
      int fragment = rest.indexOf('#', query);
      out.append(rest, 0, query).append("?***");
      if (fragment >= 0) {
        out.append(rest.substring(fragment));
      }
    } else {
      out.append(rest);
    }
    return out.length() > MAX ? out.substring(0, MAX) + "..." : out.toString();
  }

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
}
