package dev.clearance.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies whose {@code X-Forwarded-For} header is believed. A client that talks to the gateway
 * directly could write any address into that header, so it counts only when the peer is trusted.
 */
public final class TrustedProxies {
    private final List<Cidr> cidrs;

    private TrustedProxies(List<Cidr> cidrs) {
        this.cidrs = List.copyOf(cidrs);
    }

    /**
     * Parses CIDRs such as {@code 127.0.0.1/32} or {@code ::1/128}; a bare address means the single host.
     *
     * @throws IllegalArgumentException naming the entry (by index) that is not a CIDR
     */
    public static TrustedProxies of(List<String> cidrs) {
        List<Cidr> parsed = new ArrayList<>();
        for (int i = 0; i < cidrs.size(); i++) {
            parsed.add(Cidr.parse(cidrs.get(i), i));
        }
        return new TrustedProxies(parsed);
    }

    public boolean trusts(InetAddress address) {
        for (Cidr c : cidrs) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client's address: the peer itself, unless the peer is a trusted proxy, in which case the
     * right-most {@code X-Forwarded-For} entry that is not itself a trusted proxy. A malformed entry
     * stops the walk at the last address known good.
     */
    public InetAddress clientAddress(InetAddress peer, List<String> forwardedFor) {
        if (forwardedFor.isEmpty() || !trusts(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                String h = hop.trim();
                if (!h.isEmpty()) {
                    hops.add(h);
                }
            }
        }
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(hops.get(i));
            if (hop == null) {
                return client;
            }
            client = hop;
            if (!trusts(hop)) {
                return hop;
            }
        }
        return client;
    }

    /** Parses an IP literal without ever doing a DNS lookup; null when it is not one. */
    static InetAddress literal(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (t.isEmpty() || !(t.indexOf(':') >= 0 || isDottedQuad(t))) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
                return null;
            }
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isDottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text, int index) {
            String s = text.trim();
            int slash = s.indexOf('/');
            InetAddress address = literal(slash < 0 ? s : s.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("trusted_proxies[" + index + "]: '" + text
                        + "' is not an IP address or CIDR (e.g. 127.0.0.1/32, ::1/128)");
            }
            int max = address.getAddress().length * 8;
            int prefix = max;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > max) {
                    throw new IllegalArgumentException(
                            "trusted_proxies[" + index + "]: prefix length in '" + text + "' must be 0.." + max);
                }
            }
            return new Cidr(address.getAddress(), prefix);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
