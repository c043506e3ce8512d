import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;

/**
 * A measurement, not part of Clearance: the bare reverse proxy Helidon 4 gives (the gateway's server
 * and upstream client, one route, no decision, no log), to bound what the gateway can reach on them.
 * See run.sh.
 */
public class BareHelidonProxy {
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]);
        WebClient client = WebClient.builder().baseUri(a[1]).shareConnectionCache(false).build();
        WebServer.builder().host("127.0.0.1").port(port).connectionOptions(o -> o.tcpNoDelay(true))
                .routing(r -> r.post("/v1/chat/completions", (req, res) -> {
                    byte[] body = req.content().inputStream().readAllBytes();
                    try (HttpClientResponse up = client.method(Method.POST).path("/v1/chat/completions")
                            .header(HeaderNames.CONTENT_TYPE, "application/json").submit(body)) {
                        byte[] out = up.inputStream().readAllBytes();
                        res.header(HeaderNames.CONTENT_TYPE, "application/json");
                        res.send(out);
                    }
                })).build().start();
        Thread.currentThread().join();
    }
}
