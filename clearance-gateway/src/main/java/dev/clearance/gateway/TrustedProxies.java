package dev.clearance.gateway;

import dev.clearance.core.Request;
import dev.clearance.gateway.GatewaySettings.Unparseable;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies whose {@code X-Forwarded-For} and {@code Forwarded} headers are believed. A client that
 * talks to the gateway directly could write any address into them, so they count only when the peer
 * is trusted.
 */
public final class TrustedProxies {
    private final List<Cidr> cidrs;
    private final Unparseable unparseable;

    private TrustedProxies(List<Cidr> cidrs, Unparseable unparseable) {
        this.cidrs = List.copyOf(cidrs);
        this.unparseable = unparseable;
    }

    /**
     * Parses CIDRs such as {@code 127.0.0.1/32} or {@code ::1/128}; a bare address means the single host.
     *
     * @param unparseable what a forwarded hop that names no address means ({@code geoip.unparseable})
     * @throws IllegalArgumentException naming the entry (by index) that is not a CIDR
     */
    public static TrustedProxies of(List<String> cidrs, Unparseable unparseable) {
        List<Cidr> parsed = new ArrayList<>();
        for (int i = 0; i < cidrs.size(); i++) {
            parsed.add(Cidr.parse(cidrs.get(i), i));
        }
        return new TrustedProxies(parsed, unparseable);
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
     * Where the client is: the peer itself, unless the peer is a trusted proxy. Then each forwarding
     * header present is walked from the nearest hop back, past trusted proxies, to the first hop that
     * is not one; a hop that is not an address ({@link ForwardedHops}) makes the location unknown, never
     * the proxy's. When both {@code X-Forwarded-For} and {@code Forwarded} are present they must name
     * the same client: a proxy appends to one of them and passes the other on as the caller sent it, so
     * believing either one alone would let the caller choose its location.
     *
     * @param forwardedFor the {@code X-Forwarded-For} lines, in order
     * @param forwarded    the {@code Forwarded} lines, in order
     */
    public ClientAddress locate(InetAddress peer, List<String> forwardedFor, List<String> forwarded) {
        if (!trusts(peer)) {
            return new ClientAddress.Known(peer);
        }
        List<ForwardedHops.Hop> viaForwardedFor = ForwardedHops.xForwardedFor(forwardedFor);
        List<ForwardedHops.Hop> viaForwarded = ForwardedHops.forwarded(forwarded);
        if (viaForwarded.isEmpty()) {
            return walk(peer, viaForwardedFor, "X-Forwarded-For");
        }
        if (viaForwardedFor.isEmpty()) {
            return walk(peer, viaForwarded, "Forwarded");
        }
        ClientAddress a = walk(peer, viaForwardedFor, "X-Forwarded-For");
        ClientAddress b = walk(peer, viaForwarded, "Forwarded");
        if (a instanceof ClientAddress.Unknown) {
            return a;
        }
        if (b instanceof ClientAddress.Unknown || a.equals(b)) {
            return b;
        }
        return unknown("X-Forwarded-For names client "
                + ((ClientAddress.Known) a).address().getHostAddress() + " but Forwarded names "
                + ((ClientAddress.Known) b).address().getHostAddress());
    }

    private ClientAddress walk(InetAddress peer, List<ForwardedHops.Hop> hops, String header) {
        InetAddress sender = peer; // the trusted proxy that wrote the hop being read
        for (int i = hops.size() - 1; i >= 0; i--) {
            switch (hops.get(i)) {
                case ForwardedHops.Unusable u -> {
                    return unknown(header + " entry " + u.text() + " from trusted proxy " + sender.getHostAddress()
                            + " " + u.why());
                }
                case ForwardedHops.Address a -> {
                    if (!trusts(a.address())) {
                        return new ClientAddress.Known(a.address());
                    }
                    sender = a.address();
                }
            }
        }
        return new ClientAddress.Known(sender); // every hop is a trusted proxy: the farthest is the client
    }

    private ClientAddress unknown(String reason) {
        return new ClientAddress.Unknown(new Request.LocationError(reason, unparseable == Unparseable.DENY));
    }

    /** The client's address, or why it is unknown. */
    public sealed interface ClientAddress {
        /** The client is at this address. */
        record Known(InetAddress address) implements ClientAddress {}

        /** A trusted proxy forwarded something that names no usable address. */
        record Unknown(Request.LocationError error) implements ClientAddress {}
    }

    private record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text, int index) {
            String s = text.trim();
            int slash = s.indexOf('/');
            InetAddress address = AddressLiteral.parse(slash < 0 ? s : s.substring(0, slash));
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
