package dev.clearance.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a small IPv6 MaxMind DB (format 2.0, 24-bit records) mapping IPv4 and IPv6 networks to
 * {@code {"country": {"iso_code": ...}}}, as GeoLite2-Country does, so location tests need no
 * downloaded database. IPv4 networks sit under {@code ::/96}, where readers look them up. Networks
 * must not overlap.
 */
final class MmdbFixture {
    private MmdbFixture() {}

    static Path write(Path file, Map<String, String> countryByCidr) throws IOException {
        List<int[]> nodes = new ArrayList<>();
        nodes.add(new int[] {-1, -1});
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        List<Integer> dataOffsets = new ArrayList<>();
        for (Map.Entry<String, String> e : countryByCidr.entrySet()) {
            dataOffsets.add(data.size());
            writeCountry(data, e.getValue());
            String[] parts = e.getKey().split("/");
            byte[] given = InetAddress.getByName(parts[0]).getAddress(); // fixture literals only
            byte[] a = new byte[16];
            System.arraycopy(given, 0, a, 16 - given.length, given.length);
            int length = Integer.parseInt(parts[1]) + (given.length == 4 ? 96 : 0);
            int node = 0;
            for (int depth = 0; depth < length; depth++) {
                int bit = (a[depth / 8] >>> (7 - depth % 8)) & 1;
                if (depth == length - 1) {
                    nodes.get(node)[bit] = -2 - (dataOffsets.size() - 1); // data marker
                } else {
                    if (nodes.get(node)[bit] < 0) {
                        nodes.add(new int[] {-1, -1});
                        nodes.get(node)[bit] = nodes.size() - 1;
                    }
                    node = nodes.get(node)[bit];
                }
            }
        }
        int nodeCount = nodes.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int[] n : nodes) {
            for (int record : n) {
                int value = record == -1
                        ? nodeCount
                        : record <= -2 ? nodeCount + 16 + dataOffsets.get(-2 - record) : record;
                out.write(value >>> 16);
                out.write(value >>> 8);
                out.write(value);
            }
        }
        out.write(new byte[16]);
        data.writeTo(out);
        out.write(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF});
        out.write("MaxMind.com".getBytes(StandardCharsets.US_ASCII));
        map(out, 9);
        string(out, "binary_format_major_version");
        uint(out, 5, 2, 2);
        string(out, "binary_format_minor_version");
        uint(out, 5, 0, 2);
        string(out, "build_epoch");
        out.write(8); // extended type, 8 bytes
        out.write(9 - 7); // uint64
        for (int i = 7; i >= 0; i--) {
            out.write((int) (1_700_000_000L >>> (8 * i)));
        }
        string(out, "database_type");
        string(out, "Clearance-Test-Country");
        string(out, "description");
        map(out, 1);
        string(out, "en");
        string(out, "test");
        string(out, "ip_version");
        uint(out, 5, 6, 2);
        string(out, "languages");
        out.write(1); // extended type, 1 element
        out.write(11 - 7); // array
        string(out, "en");
        string(out, "node_count");
        uint(out, 6, nodeCount, 4);
        string(out, "record_size");
        uint(out, 5, 24, 2);
        Files.write(file, out.toByteArray());
        return file;
    }

    private static void writeCountry(ByteArrayOutputStream out, String iso) throws IOException {
        map(out, 1);
        string(out, "country");
        map(out, 1);
        string(out, "iso_code");
        string(out, iso);
    }

    private static void map(ByteArrayOutputStream out, int entries) {
        out.write((7 << 5) | entries);
    }

    private static void string(ByteArrayOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length >= 29) {
            throw new IllegalArgumentException("fixture strings are short: " + s);
        }
        out.write((2 << 5) | b.length);
        out.write(b);
    }

    private static void uint(ByteArrayOutputStream out, int type, long value, int size) {
        out.write((type << 5) | size);
        for (int i = size - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)));
        }
    }
}
