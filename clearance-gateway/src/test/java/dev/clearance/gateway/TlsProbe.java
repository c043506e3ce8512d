package dev.clearance.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Raw connections to a listener, for what an HTTP client hides: the handshake, and what plain HTTP gets back. */
final class TlsProbe {
    private TlsProbe() {}

    /** A finished handshake: what the server presented and what was negotiated. */
    record Handshake(X509Certificate certificate, String protocol, String applicationProtocol) {}

    /**
     * Completes a handshake offering {@code alpn} (and only {@code protocols}, when given), verifying the
     * host name like a browser would.
     */
    static Handshake handshake(int port, SSLContext client, List<String> alpn, String... protocols) throws IOException {
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setApplicationProtocols(alpn.toArray(String[]::new));
            if (protocols.length > 0) {
                p.setProtocols(protocols);
            }
            s.setSSLParameters(p);
            s.startHandshake();
            return new Handshake(
                    (X509Certificate) s.getSession().getPeerCertificates()[0],
                    s.getSession().getProtocol(),
                    s.getApplicationProtocol());
        }
    }

    /** The certificate a new connection is served (a fresh context each time: no resumed session). */
    static X509Certificate served(int port, SSLContext client) throws IOException {
        return handshake(port, client, List.of("http/1.1")).certificate();
    }

    /** Sends a plain HTTP request and returns whatever comes back before the server closes or goes quiet. */
    static String plainHttp(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[1024];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // Quiet or reset: nothing more is coming.
            }
            return got.toString();
        }
    }

    /** POSTs over a new TLS connection (closed after the answer) and returns the status code. */
    static int post(int port, SSLContext client, String path, String key, String body) throws IOException {
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(20_000);
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                            + "Content-Type: application/json\r\nAuthorization: Bearer " + key + "\r\n"
                            + "Content-Length: " + content.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            // Read the head and a body of the announced length (the server may keep the connection open).
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the connection ended before an HTTP answer: " + head);
                }
                head.append((char) b);
            }
            String answer = head.toString();
            if (!answer.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP answer: " + answer);
            }
            int length = answer.lines()
                    .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                    .map(l -> Integer.parseInt(l.substring(15).strip()))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no content-length: " + answer));
            if (in.readNBytes(length).length != length) {
                throw new IOException("the body ended early");
            }
            return Integer.parseInt(answer.substring(9, 12));
        }
    }
}
