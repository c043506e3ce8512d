package dev.clearance.gateway;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The hops that {@code X-Forwarded-For} and RFC 7239 {@code Forwarded} name, farthest first, as
 * proxies send them: a bare IPv4 or IPv6 address, {@code 192.0.2.60:50123}, {@code [2001:db8::1]},
 * {@code [2001:db8::1]:4711}, several comma-separated entries and several header lines. Anything else
 * (a host name, {@code unknown}, an obfuscated {@code _hidden}, a {@code Forwarded} element without
 * {@code for}, broken syntax) is an {@link Unusable} hop: the caller decides what an unknown hop means,
 * it is never skipped.
 */
final class ForwardedHops {
    /** How much of an unusable value an error quotes. */
    private static final int QUOTED = 64;

    private ForwardedHops() {}

    /** One hop: an address, or what was sent instead and why it is not one. */
    sealed interface Hop permits Address, Unusable {}

    record Address(InetAddress address) implements Hop {}

    /**
     * @param text the value as sent, shortened and with anything but printable ASCII escaped
     * @param why  completes the sentence "... {@code text} ..."
     */
    record Unusable(String text, String why) implements Hop {}

    /** The hops of {@code X-Forwarded-For} lines: comma-separated nodes, no quoting. */
    static List<Hop> xForwardedFor(List<String> lines) {
        List<Hop> hops = new ArrayList<>();
        for (String line : lines) {
            for (String entry : line.split(",", -1)) {
                String node = entry.strip();
                if (!node.isEmpty()) { // an empty list element is allowed and means nothing (RFC 9110 5.6.1)
                    hops.add(node(node));
                }
            }
        }
        return hops;
    }

    /** The hops of {@code Forwarded} lines: one per element, read from its {@code for} parameter. */
    static List<Hop> forwarded(List<String> lines) {
        List<Hop> hops = new ArrayList<>();
        for (String line : lines) {
            new ForwardedLine(line, hops).read();
        }
        return hops;
    }

    /** A node as proxies write it: an address, optionally with a port (IPv6 then in brackets). */
    static Hop node(String text) {
        if (text.length() > AddressLiteral.MAX_LENGTH + 8) {
            return new Unusable(quote(text), "is too long to be an address");
        }
        if (text.equalsIgnoreCase("unknown")) {
            return new Unusable(quote(text), "says the proxy did not know the client");
        }
        if (text.startsWith("_")) {
            return new Unusable(quote(text), "is an obfuscated identifier, not an address");
        }
        InetAddress address = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close > 0 && validPort(text.substring(close + 1))) {
                String inside = text.substring(1, close);
                address = inside.indexOf(':') >= 0 ? AddressLiteral.parse(inside) : null;
            }
        } else {
            int colon = text.indexOf(':');
            if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
                address = AddressLiteral.parse(text); // IPv4, or IPv6 without brackets (and so without a port)
            } else if (validPort(text.substring(colon))) {
                String host = text.substring(0, colon);
                address = host.indexOf('.') >= 0 ? AddressLiteral.parse(host) : null;
            }
        }
        return address == null
                ? new Unusable(quote(text), "is not an IP address (with an optional port)")
                : new Address(address);
    }

    /** Nothing, or {@code :} and a port 0-65535 or an obfuscated port ({@code _abc}, RFC 7239 6.3). */
    private static boolean validPort(String s) {
        if (s.isEmpty()) {
            return true;
        }
        if (s.charAt(0) != ':' || s.length() < 2) {
            return false;
        }
        if (s.charAt(1) == '_') {
            return s.length() > 2 && s.substring(2).chars().allMatch(ForwardedHops::obfuscatedChar);
        }
        if (s.length() > 6) {
            return false;
        }
        int port = 0;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535;
    }

    private static boolean obfuscatedChar(int c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
    }

    /** The value for an error message: at most {@value #QUOTED} characters, non-ASCII shown as {@code \\uXXXX}. */
    static String quote(String text) {
        StringBuilder b = new StringBuilder("'");
        int shown = Math.min(text.length(), QUOTED);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '\\' && c != '\'') {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        b.append('\'');
        if (text.length() > shown) {
            b.append(" (").append(text.length()).append(" characters, shortened)");
        }
        return b.toString();
    }

    /**
     * One {@code Forwarded} line: {@code element *( "," element )}, an element being
     * {@code pair *( ";" pair )} and a pair {@code token "=" ( token / quoted-string )}. Broken syntax
     * makes the rest of the line one unusable hop: where the elements end is then unknown, and the rest
     * holds the hops nearest to the gateway.
     */
    private static final class ForwardedLine {
        private final String line;
        private final List<Hop> hops;
        private int at;

        ForwardedLine(String line, List<Hop> hops) {
            this.line = line;
            this.hops = hops;
        }

        void read() {
            while (true) {
                int start = at;
                String forValue = null;
                boolean pairs = false;
                boolean twice = false;
                while (true) {
                    skipWhitespace();
                    if (at < line.length() && line.charAt(at) != ',' && line.charAt(at) != ';') {
                        String name = token();
                        if (name.isEmpty() || !take('=')) {
                            broken(start);
                            return;
                        }
                        String value = value();
                        if (value == null) {
                            broken(start);
                            return;
                        }
                        pairs = true;
                        if (name.equalsIgnoreCase("for")) {
                            twice |= forValue != null;
                            forValue = value;
                        }
                        skipWhitespace();
                    }
                    if (!take(';')) {
                        break;
                    }
                }
                if (at < line.length() && line.charAt(at) != ',') {
                    broken(start);
                    return;
                }
                if (twice) {
                    hops.add(new Unusable(quote(line.substring(start, at).strip()), "names 'for' twice"));
                } else if (forValue != null) {
                    hops.add(node(forValue));
                } else if (pairs) {
                    hops.add(new Unusable(quote(line.substring(start, at).strip()), "has no 'for' parameter"));
                }
                if (!take(',')) {
                    return;
                }
            }
        }

        private void broken(int start) {
            hops.add(new Unusable(quote(line.substring(start).strip()), "is not RFC 7239 syntax"));
        }

        private void skipWhitespace() {
            while (at < line.length() && (line.charAt(at) == ' ' || line.charAt(at) == '\t')) {
                at++;
            }
        }

        private boolean take(char c) {
            if (at < line.length() && line.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private String token() {
            int start = at;
            while (at < line.length() && tokenChar(line.charAt(at))) {
                at++;
            }
            return line.substring(start, at);
        }

        /**
         * A token or a quoted string; null when neither. An unquoted value may also hold {@code :[]},
         * which RFC 7239 wants quoted but some proxies do not quote; the node is checked strictly anyway.
         */
        private String value() {
            if (take('"')) {
                StringBuilder b = new StringBuilder();
                while (at < line.length()) {
                    char c = line.charAt(at++);
                    if (c == '"') {
                        return b.toString();
                    }
                    if (c == '\\') {
                        if (at == line.length()) {
                            return null;
                        }
                        c = line.charAt(at++);
                    }
                    b.append(c);
                }
                return null;
            }
            int start = at;
            while (at < line.length()
                    && (tokenChar(line.charAt(at))
                            || line.charAt(at) == ':'
                            || line.charAt(at) == '['
                            || line.charAt(at) == ']')) {
                at++;
            }
            return at == start ? null : line.substring(start, at);
        }

        /** RFC 9110 tchar. */
        private static boolean tokenChar(char c) {
            return c < 128 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
        }
    }
}
