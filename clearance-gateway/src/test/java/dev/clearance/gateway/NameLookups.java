package dev.clearance.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The JVM's name resolver in the gateway's tests (installed through {@code META-INF/services}): it
 * resolves as the built-in one does and remembers every name it was asked, so a test can prove that
 * no header value ever reached DNS.
 */
public final class NameLookups extends InetAddressResolverProvider {
    private static final List<String> NAMES = new CopyOnWriteArrayList<>();

    /** Every name looked up since the JVM started, in order. */
    static List<String> names() {
        return List.copyOf(NAMES);
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                NAMES.add(host);
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "clearance-test-recording-resolver";
    }
}
