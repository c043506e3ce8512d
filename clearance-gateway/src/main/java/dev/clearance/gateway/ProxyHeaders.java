package dev.clearance.gateway;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Which headers cross the gateway. Toward the upstream only an allow-list passes, so the caller's key
 * (and anything else the caller sends) never leaves; the upstream key is added in the style's header.
 * Toward the caller every upstream header passes except hop-by-hop ones and a forged decision id.
 */
final class ProxyHeaders {
    static final AsciiString ANTHROPIC_VERSION_NAME = AsciiString.cached("anthropic-version");
    static final AsciiString X_API_KEY_NAME = AsciiString.cached("x-api-key");
    /** The same names for Helidon's client and test servers. */
    static final HeaderName ANTHROPIC_VERSION = HeaderNames.create(ANTHROPIC_VERSION_NAME.toString());

    static final HeaderName X_API_KEY = HeaderNames.create(X_API_KEY_NAME.toString());
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString FORWARDED = AsciiString.cached("forwarded");
    static final AsciiString CAPABILITIES = AsciiString.cached("clearance-capabilities");

    /**
     * The headers of what the gateway sends (requests upstream, answers to callers): every name is a
     * constant of ours or one Netty's decoder validated when it arrived, so names are not validated a
     * second time (that cost about 3 % of a call); values still are.
     */
    static final HttpHeadersFactory OUTGOING =
            DefaultHttpHeadersFactory.headersFactory().withNameValidation(false);

    private static final List<AsciiString> TO_UPSTREAM = List.of(
            HttpHeaderNames.CONTENT_TYPE,
            HttpHeaderNames.ACCEPT,
            ANTHROPIC_VERSION_NAME,
            AsciiString.cached("anthropic-beta"),
            AsciiString.cached("openai-organization"),
            AsciiString.cached("openai-project"),
            AsciiString.cached("openai-beta"),
            AsciiString.cached("idempotency-key"),
            HttpHeaderNames.USER_AGENT);

    private static final List<String> NOT_RETURNED = List.of(
            "connection",
            "keep-alive",
            "transfer-encoding",
            "content-length",
            "te",
            "trailer",
            "upgrade",
            "proxy-authenticate",
            "proxy-connection",
            ":status",
            "clearance-decision-id");

    /** {@link #NOT_RETURNED} by name length. */
    private static final String[][] NOT_RETURNED_BY_LENGTH = byLength(NOT_RETURNED);

    private static String[][] byLength(List<String> names) {
        int longest = names.stream().mapToInt(String::length).max().orElse(0);
        String[][] out = new String[longest + 1][];
        for (int n = 0; n <= longest; n++) {
            int length = n;
            out[n] = names.stream().filter(s -> s.length() == length).toArray(String[]::new);
        }
        return out;
    }

    private ProxyHeaders() {}

    /** Copies the allow-listed caller headers and sets the upstream key the way {@code style} expects it. */
    static void toUpstream(ApiExchange from, HttpHeaders to, ApiStyle style, String upstreamKey) {
        for (AsciiString name : TO_UPSTREAM) {
            if (from.hasHeader(name)) { // most are absent: asking costs no list
                to.set(name, from.headers(name));
            }
        }
        Header key = upstreamKey(style, upstreamKey);
        if (key != null) {
            to.set(key.name(), key.get());
        }
    }

    /** Sets the upstream key the way {@code style} expects it: {@code Authorization: Bearer} or {@code x-api-key}. */
    static void upstreamKey(WritableHeaders<?> to, ApiStyle style, String upstreamKey) {
        Header key = upstreamKey(style, upstreamKey);
        if (key != null) {
            to.set(key);
        }
    }

    /** The header carrying the upstream key for {@code style} (null without a key). */
    private static Header upstreamKey(ApiStyle style, String upstreamKey) {
        if (upstreamKey.isEmpty()) {
            return null;
        }
        return switch (style) {
            case OPENAI -> HeaderValues.create(HeaderNames.AUTHORIZATION, "Bearer " + upstreamKey);
            case ANTHROPIC -> HeaderValues.create(X_API_KEY, upstreamKey);
        };
    }

    /** Whether an upstream response header is passed back to the caller. */
    static boolean returned(CharSequence name) {
        // Compared in place: lower-casing each upstream header's name cost a new string per header per call.
        // Only with the names of its length: most headers (date, server, content-type) have none.
        int n = name.length();
        if (n >= NOT_RETURNED_BY_LENGTH.length) {
            return true;
        }
        for (String hop : NOT_RETURNED_BY_LENGTH[n]) {
            if (AsciiString.contentEqualsIgnoreCase(hop, name)) {
                return false;
            }
        }
        return true;
    }

    /** The key the caller presented: {@code Authorization: Bearer <key>} or {@code x-api-key: <key>}. */
    static String presentedKey(ApiExchange req) {
        String auth = req.header(HttpHeaderNames.AUTHORIZATION).orElse("");
        if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String key = auth.substring(7).trim();
            if (!key.isEmpty()) {
                return key;
            }
        }
        return req.header(X_API_KEY_NAME).map(String::trim).orElse("");
    }
}
