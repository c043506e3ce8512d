package dev.clearance.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Reads an IP address literal strictly: dotted-quad IPv4 ({@code 192.0.2.60}) or RFC 4291 IPv6
 * ({@code 2001:db8::1}, {@code ::ffff:192.0.2.60}), ASCII digits and hex only, no zone, no leading
 * zeros in an IPv4 part (decimal or octal is anyone's guess). The bytes are built here and handed to
 * {@link InetAddress#getByAddress(byte[])}, so no text a caller sent can ever cause a DNS lookup:
 * {@code InetAddress.getByName} looks up whatever it does not recognise as a literal, and it does not
 * recognise {@code ١١١.٢٣٥.١٦٠.٥} (Arabic-Indic digits) although {@link Character#isDigit} does.
 */
final class AddressLiteral {
    /** The longest IPv6 text, {@code ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255}. */
    static final int MAX_LENGTH = 45;

    private AddressLiteral() {}

    /** The address, or null when {@code text} is not exactly an IPv4 or IPv6 literal. */
    static InetAddress parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return null;
        }
        byte[] bytes = text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text, new byte[4], 0);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null; // only for a wrong length, which the parsers never produce
        }
    }

    /** Writes the four bytes of a dotted quad into {@code out} at {@code at}; null when it is not one. */
    private static byte[] ipv4(String s, byte[] out, int at) {
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (digits == 0 || part == 3) {
                    return null;
                }
                out[at + part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits > 0 && value == 0) {
                    return null; // a leading zero
                }
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        if (part != 3 || digits == 0) {
            return null;
        }
        out[at + 3] = (byte) value;
        return out;
    }

    private static byte[] ipv6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        byte[] out = new byte[16];
        if (gap < 0) {
            return groups(s, true, out, 0) == 16 ? out : null;
        }
        byte[] tail = new byte[16];
        int head = groups(s.substring(0, gap), false, out, 0);
        int tailLength = groups(s.substring(gap + 2), true, tail, 0);
        // "::" stands for at least one group of zeros.
        if (head < 0 || tailLength < 0 || head + tailLength > 14) {
            return null;
        }
        System.arraycopy(tail, 0, out, 16 - tailLength, tailLength);
        return out;
    }

    /**
     * Writes colon-separated hex groups (the last may be a dotted quad when {@code last} allows it) and
     * returns how many bytes they make; -1 when they are not groups. An empty text is no groups.
     */
    private static int groups(String s, boolean last, byte[] out, int at) {
        if (s.isEmpty()) {
            return 0;
        }
        int written = 0;
        int start = 0;
        while (true) {
            int colon = s.indexOf(':', start);
            String group = colon < 0 ? s.substring(start) : s.substring(start, colon);
            if (colon < 0 && last && group.indexOf('.') >= 0) {
                if (at + written + 4 > out.length || ipv4(group, out, at + written) == null) {
                    return -1;
                }
                return written + 4;
            }
            int value = hexGroup(group);
            if (value < 0 || at + written + 2 > out.length) {
                return -1;
            }
            out[at + written] = (byte) (value >>> 8);
            out[at + written + 1] = (byte) value;
            written += 2;
            if (colon < 0) {
                return written;
            }
            start = colon + 1;
        }
    }

    private static int hexGroup(String g) {
        if (g.isEmpty() || g.length() > 4) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            int digit;
            if (c >= '0' && c <= '9') {
                digit = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                digit = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                digit = c - 'A' + 10;
            } else {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }
}
