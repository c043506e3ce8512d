package dev.clearance.gateway;

import dev.clearance.gateway.tls.TransportSecurity;
import dev.clearance.gateway.tls.UpstreamTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The client that sends allowed model calls to their upstreams. Netty event loops (epoll where the
 * platform has it) do the socket work; the call's virtual thread only hands the request over and waits
 * for the answer ({@link UpstreamExchange}). A blocking client on the call's own virtual thread
 * (Helidon's {@code WebClient}, used before) cost about 25 µs more CPU per call on this project's
 * benchmark machine: every read that would block parks the thread and re-arms the poller
 * (docs/benchmarks.md, "The upstream client").
 *
 * <p>HTTP/1.1 with kept-alive connections, one pool per upstream. A connection idle for longer than
 * {@link #IDLE_LIMIT} is not reused (servers commonly drop idle connections after 5 s, and a request
 * sent on one they are closing would fail); a request is never sent twice. Host names are resolved on
 * the calling thread when a connection is opened. With TLS the upstream's certificate is verified
 * against the configured host name (or IP address); nothing here turns that off.
 */
final class UpstreamExchanges implements AutoCloseable {
    /** How long connecting (TCP and TLS handshake) may take. */
    static final Duration CONNECT_TIMEOUT = UpstreamClients.CONNECT_TIMEOUT;
    /** How long an upstream may stay silent while an answer is awaited or streamed. */
    static final Duration READ_TIMEOUT = UpstreamClients.READ_TIMEOUT;
    /** Idle connections older than this are closed instead of reused. */
    static final Duration IDLE_LIMIT = Duration.ofSeconds(4);

    private static final int MAX_IDLE_PER_UPSTREAM = 256;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final EventLoop anyLoop; // for a caller on no loop of its own: one, so its connections are reused
    private final Class<? extends SocketChannel> channelType;
    private final Map<String, Pool> pools = new HashMap<>();

    private UpstreamExchanges(
            List<GatewaySettings.Upstream> upstreams, TransportSecurity security, EventLoopGroup loops) {
        this.anyLoop = loops.next();
        this.channelType = Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
        SSLContext defaults = null;
        Map<UpstreamTls, SSLContext> bySettings = new HashMap<>();
        for (GatewaySettings.Upstream u : upstreams) {
            SSLContext tls = null;
            if ("https".equalsIgnoreCase(u.baseUrl().getScheme())) {
                if (u.tls().isPresent()) {
                    tls = bySettings.computeIfAbsent(u.tls().get(), security::upstream);
                } else {
                    defaults = defaults != null ? defaults : defaultContext();
                    tls = defaults;
                }
            }
            pools.put(u.name(), new Pool(u.baseUrl(), tls));
        }
    }

    /**
     * A client whose connections live on {@code loops} (the model API's, so a call's upstream connection
     * is on its own connection's loop); the caller owns the loops and shuts them down.
     */
    static UpstreamExchanges start(
            List<GatewaySettings.Upstream> upstreams, TransportSecurity security, EventLoopGroup loops) {
        return new UpstreamExchanges(upstreams, security, loops);
    }

    /**
     * Sends a POST of {@code body} to {@code target} (path and query, after the upstream's base path)
     * and waits for the answer's head and, in the same wait, for {@code alongside} to complete in any
     * way. {@code headers} sets the request's headers (Host and Content-Length are set here). The
     * connection is one on {@code loop} (any loop when null): the calling thread's own, when it runs on one.
     *
     * @throws IOException when no connection could be made or the upstream did not answer
     *     ({@link InterruptedIOException} when the calling thread was interrupted meanwhile)
     */
    UpstreamExchange post(
            GatewaySettings.Upstream upstream,
            String target,
            Consumer<HttpHeaders> headers,
            byte[] body,
            CompletableFuture<?> alongside,
            EventLoop loop)
            throws IOException {
        Pool pool = pools.get(upstream.name());
        if (pool == null) {
            throw new IllegalStateException("no connection pool for upstream " + upstream.name());
        }
        FullHttpRequest request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1,
                HttpMethod.POST,
                pool.basePath + target,
                Unpooled.wrappedBuffer(body),
                ProxyHeaders.OUTGOING.newHeaders(),
                EmptyHttpHeaders.INSTANCE); // a request with a length has no trailers
        headers.accept(request.headers());
        request.headers()
                .set(HttpHeaderNames.HOST, pool.hostHeader)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        Channel channel = pool.acquire(loop != null ? loop : anyLoop);
        Exchanger exchanger = channel.pipeline().get(Exchanger.class);
        UpstreamExchange exchange = new UpstreamExchange(channel, READ_TIMEOUT, () -> pool.release(channel));
        exchanger.current = exchange;
        channel.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                exchange.fail(f.cause());
            }
        });
        exchange.awaitHead(alongside);
        return exchange;
    }

    /** Closes the idle connections (the loops are the caller's). */
    @Override
    public void close() {
        for (Pool pool : pools.values()) {
            pool.closeIdle();
        }
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no default TLS context", e);
        }
    }

    /** The kept-alive connections to one upstream, kept per event loop. */
    private final class Pool {
        private final String host; // as configured: a name, or an address literal without brackets
        private final int port;
        private final String hostHeader;
        private final String basePath;
        private final SSLContext tls; // null for plain HTTP
        private final Map<EventLoop, ConcurrentLinkedDeque<Idle>> idle = new ConcurrentHashMap<>();

        Pool(URI baseUrl, SSLContext tls) {
            String h = baseUrl.getHost();
            this.host = h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
            boolean secure = tls != null;
            this.port = baseUrl.getPort() >= 0 ? baseUrl.getPort() : secure ? 443 : 80;
            this.hostHeader = baseUrl.getPort() >= 0 ? h + ":" + baseUrl.getPort() : h;
            this.basePath = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
            this.tls = tls;
        }

        /** The most recently used live connection on {@code loop}, or a new one there. */
        Channel acquire(EventLoop loop) throws IOException {
            long now = System.nanoTime();
            ConcurrentLinkedDeque<Idle> onLoop = idle.computeIfAbsent(loop, l -> new ConcurrentLinkedDeque<>());
            for (Idle i; (i = onLoop.pollFirst()) != null; ) {
                if (i.channel.isActive() && now - i.since < IDLE_LIMIT.toNanos()) {
                    return i.channel;
                }
                i.channel.close();
            }
            return open(loop);
        }

        void release(Channel channel) {
            ConcurrentLinkedDeque<Idle> onLoop =
                    idle.computeIfAbsent(channel.eventLoop(), l -> new ConcurrentLinkedDeque<>());
            if (onLoop.size() >= MAX_IDLE_PER_UPSTREAM) {
                channel.close();
                return;
            }
            onLoop.addFirst(new Idle(channel, System.nanoTime()));
        }

        void closeIdle() {
            for (ConcurrentLinkedDeque<Idle> onLoop : idle.values()) {
                for (Idle i; (i = onLoop.pollFirst()) != null; ) {
                    i.channel.close();
                }
            }
        }

        private Channel open(EventLoop loop) throws IOException {
            InetAddress address = InetAddress.getByName(host); // on the calling thread, never on an event loop
            Bootstrap bootstrap = new Bootstrap()
                    .group(loop)
                    .channel(channelType)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_KEEPALIVE, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (tls != null) {
                                ch.pipeline().addLast(new SslHandler(engine()));
                            }
                            ch.pipeline()
                                    .addLast(new HttpClientCodec(8192, MAX_HEADER_BYTES, 64 * 1024))
                                    .addLast(new Exchanger());
                        }
                    });
            ChannelFuture connect = bootstrap.connect(new InetSocketAddress(address, port));
            await(connect, "connecting to " + hostHeader);
            Channel channel = connect.channel();
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            if (ssl != null) {
                await(ssl.handshakeFuture(), "the TLS handshake with " + hostHeader);
            }
            return channel;
        }

        private SSLEngine engine() {
            SSLEngine engine = tls.createSSLEngine(host, port); // the name the certificate is verified against
            engine.setUseClientMode(true);
            SSLParameters parameters = TransportSecurity.clientParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
            return engine;
        }

        private void await(Future<?> future, String what) throws IOException {
            try {
                future.await();
            } catch (InterruptedException e) {
                future.cancel(false);
                if (future instanceof ChannelFuture c) {
                    c.channel().close();
                }
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while " + what);
            }
            if (!future.isSuccess()) {
                if (future instanceof ChannelFuture c) {
                    c.channel().close();
                }
                Throwable cause = future.cause();
                throw cause instanceof IOException io
                        ? new IOException(what + " failed: " + io.getMessage(), io)
                        : new IOException(what + " failed: " + cause, cause);
            }
        }
    }

    private record Idle(Channel channel, long since) {}

    /** Hands a connection's answer to its current exchange; confined to the connection's event loop. */
    private static final class Exchanger extends ChannelInboundHandlerAdapter {
        volatile UpstreamExchange current;
        private boolean informational; // inside a 1xx answer, which precedes the real one
        private boolean keepAlive;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                UpstreamExchange exchange = current;
                if (exchange == null) {
                    ctx.close(); // an answer nobody asked for: the connection cannot be trusted
                    return;
                }
                if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
                    current = null;
                    exchange.fail(new IOException(
                            "the upstream's answer is not valid HTTP/1.1: "
                                    + o.decoderResult().cause().getMessage(),
                            o.decoderResult().cause()));
                    ctx.close();
                    return;
                }
                if (msg instanceof HttpResponse head) {
                    int code = head.status().code();
                    informational = code >= 100 && code < 200 && code != 101;
                    if (!informational) {
                        exchange.head(head);
                        keepAlive = HttpUtil.isKeepAlive(head);
                    }
                }
                if (msg instanceof HttpContent content && !informational) {
                    exchange.chunk(content.content());
                    if (content instanceof LastHttpContent) {
                        current = null;
                        exchange.end(keepAlive);
                    }
                } else if (msg instanceof LastHttpContent) {
                    informational = false;
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            UpstreamExchange exchange = current;
            if (exchange != null) {
                exchange.publish();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            UpstreamExchange exchange = current;
            if (exchange != null) {
                current = null;
                exchange.fail(new IOException("the upstream closed the connection before its answer ended"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            UpstreamExchange exchange = current;
            current = null;
            if (exchange != null) {
                exchange.fail(cause);
            }
            ctx.close();
        }
    }
}
