package io.meshsdk.catalog.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * POSTs each event as JSON to an OpenLineage endpoint (Marquez's {@code /api/v1/lineage}, DataHub's
 * and OpenMetadata's OpenLineage endpoints), with the JDK's {@link HttpClient}: a connect and a
 * request timeout, an optional bearer API key. A status other than 2xx is a failure. The API key is
 * never in {@link #toString()} nor in the exceptions thrown.
 */
final class HttpTransport implements OpenLineageTransport {
  private final HttpClient client;
  private final URI uri;
  private final @Nullable String authorization;
  private final Duration timeout;

  HttpTransport(URI uri, @Nullable String apiKey, Duration timeout) {
    this.uri = uri;
    this.authorization = apiKey == null ? null : "Bearer " + apiKey;
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public void send(String key, String event) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(event, StandardCharsets.UTF_8));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<Void> response =
        client.send(request.build(), HttpResponse.BodyHandlers.discarding());
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw new IOException("HTTP " + status + " from " + OpenLineageSettings.masked(uri));
    }
  }

  @Override
  public void close() {
    // the JDK 17 client has no close(): its selector thread ends when the client is unreachable
  }

  @Override
  public String toString() {
    return OpenLineageSettings.masked(uri);
  }
}
