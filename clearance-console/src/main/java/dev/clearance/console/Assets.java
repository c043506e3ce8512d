package dev.clearance.console;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The console's static files, all from its own jar or the htmx webjar, so a page fetches nothing from
 * anywhere but the admin listener: no CDN, no web fonts. Only the files named here are served.
 */
final class Assets {
    private static final String OWN = "/dev/clearance/console/assets/";
    private static final Map<String, Asset> FILES = Map.of(
            "console.css", new Asset(OWN + "console.css", "text/css; charset=utf-8"),
            "console.js", new Asset(OWN + "console.js", "text/javascript; charset=utf-8"),
            "proof.js", new Asset(OWN + "proof.js", "text/javascript; charset=utf-8"),
            "favicon.svg", new Asset(OWN + "favicon.svg", "image/svg+xml"),
            "htmx.min.js", new Asset(htmxPath(), "text/javascript; charset=utf-8"));

    private Assets() {}

    private record Asset(String resource, String contentType) {}

    static void serve(ServerRequest req, ServerResponse res) {
        Asset a = FILES.get(req.path().pathParameters().get("file"));
        Pages.guard(res);
        if (a == null) {
            res.status(Status.NOT_FOUND_404).send("no such asset");
            return;
        }
        byte[] body = read(a.resource());
        res.header(HeaderNames.CONTENT_TYPE, a.contentType());
        // Public, versioned with the build: a browser may keep them for an hour.
        res.header(HeaderNames.CACHE_CONTROL, "private, max-age=3600");
        res.send(body);
    }

    private static byte[] read(String resource) {
        try (InputStream in = Assets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("console asset " + resource + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the htmx webjar keeps its script, found from the webjar's own version (one place names it: the pom). */
    private static String htmxPath() {
        Properties p = new Properties();
        try (InputStream in =
                Assets.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/htmx.org/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the htmx webjar (org.webjars.npm:htmx.org) is not on the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "/META-INF/resources/webjars/htmx.org/" + p.getProperty("version") + "/dist/htmx.min.js";
    }
}
