package dev.clearance.gateway;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /log/}: the decision log as the C2SP tlog-tiles API, read-only — {@code /log/checkpoint}
 * (the latest signed checkpoint note), {@code /log/tile/<L>/<N>[.p/<W>]} (hashes) and
 * {@code /log/tile/entries/<N>[.p/<W>]} (entry bundles). Behind the admin token, or open to anyone
 * when {@code log.public} is set (see {@link AdminToken}): auditors follow the log with standard
 * tooling without holding the key that can change policy.
 *
 * @param tiles the log's resources
 */
record LogService(LogTiles tiles) implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(LogService.class);
    static final String PREFIX = "/log/";

    /**
     * Exactly the paths this service answers (tlog-tiles' own grammar, digits and a few letters
     * only): so an exception to the admin token for them can never cover another resource.
     */
    private static final Pattern RESOURCE =
            Pattern.compile("/log/(checkpoint|tile/(entries|[0-9]{1,2})/(x[0-9]{3}/)*[0-9]{3}(\\.p/[0-9]{1,3})?)");

    /** Whether a call is a read of one of this service's resources. */
    static boolean isRead(Method method, String path) {
        return method == Method.GET && RESOURCE.matcher(path).matches();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/*", this::read);
    }

    private void read(ServerRequest req, ServerResponse res) {
        String path = req.path().absolute().path();
        Optional<LogTiles.Resource> found;
        try {
            found = RESOURCE.matcher(path).matches() ? tiles.read(path.substring(PREFIX.length())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.error("reading {} from the decision log failed", path, e);
            AdminJson.error(res, 500, "the decision log could not be read");
            return;
        }
        if (found.isEmpty()) {
            AdminJson.error(res, 404, "no " + path + " in the decision log (yet)");
            return;
        }
        LogTiles.Resource r = found.get();
        res.header(HeaderNames.CONTENT_TYPE, r.contentType());
        // A full tile never changes; a partial tile and the checkpoint grow with the log.
        res.header(HeaderNames.CACHE_CONTROL, r.immutable() ? "public, max-age=31536000, immutable" : "no-cache");
        res.send(r.bytes());
    }
}
