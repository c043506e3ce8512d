package dev.clearance.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders the console's templates (compiled to classes at build time by the jte Maven plugin, so no
 * compiler runs here) and sends every page with the headers that keep it to itself: a
 * Content-Security-Policy allowing scripts, styles and connections only from the admin listener
 * (no inline script or style), no framing, no caching of data, no referrer to other sites.
 */
final class Pages {
    private static final Logger LOG = LoggerFactory.getLogger(Pages.class);
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    private static final HeaderName CSP_HEADER = HeaderNames.create("Content-Security-Policy");
    private static final HeaderName FRAME_OPTIONS = HeaderNames.create("X-Frame-Options");
    private static final HeaderName REFERRER = HeaderNames.create("Referrer-Policy");
    private static final HeaderName OPENER = HeaderNames.create("Cross-Origin-Opener-Policy");

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(
            null, ContentType.Html, Pages.class.getClassLoader(), Pages.class.getPackageName());

    /** Renders {@code template} (e.g. {@code overview.jte}) with its one parameter. */
    String render(String template, Object model) {
        StringOutput out = new StringOutput(16_384);
        engine.render(template, model, out);
        return out.toString();
    }

    void send(ServerResponse res, int status, String template, Object model) {
        String html = render(template, model);
        guard(res);
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.send(html);
    }

    void send(ServerResponse res, String template, Object model) {
        send(res, 200, template, model);
    }

    /** A page that only says something: a refusal, a failure. */
    record MessageView(Page page, String message) {}

    void message(ServerResponse res, int status, Page page, String message) {
        send(res, status, "message.jte", new MessageView(page, message));
    }

    /**
     * {@code h}, with every refusal and failure answered as a page of the console (the admin API's
     * error handlers answer JSON, which is right for it and wrong here).
     */
    Handler guarded(Handler h) {
        return (req, res) -> {
            try {
                h.handle(req, res);
            } catch (Access.Refused e) {
                message(res, e.status, new Page("Refused", "", visitorOrNull(req)), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error(
                        "console {} {} failed",
                        req.prologue().method().text(),
                        req.path().path(),
                        e);
                message(
                        res,
                        500,
                        new Page("Something went wrong", "", visitorOrNull(req)),
                        "The console could not complete this: " + e.getMessage());
            }
        };
    }

    private static Visitor visitorOrNull(ServerRequest req) {
        return req.context().get(Visitor.class).orElse(null);
    }

    /** The headers every console answer carries, assets included. */
    static void guard(ServerResponse res) {
        res.header(CSP_HEADER, CSP);
        res.header(FRAME_OPTIONS, "DENY");
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        // Not no-referrer: with it, browsers send "Origin: null" on form posts, and Access checks the origin.
        res.header(REFERRER, "same-origin");
        res.header(OPENER, "same-origin");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
    }

    /** A 303 to another console page (after a form, so reloading does not post again). */
    static void seeOther(ServerResponse res, String location) {
        guard(res);
        res.status(Status.SEE_OTHER_303);
        res.header(HeaderNames.LOCATION, location);
        res.send();
    }

    /** A download: no-store like the pages, named by {@code file}. */
    static void download(ServerResponse res, String contentType, String file, byte[] body) {
        guard(res);
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"");
        res.send(body);
    }
}
