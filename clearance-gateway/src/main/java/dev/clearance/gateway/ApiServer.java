package dev.clearance.gateway;

import io.helidon.common.tls.Tls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model API's HTTP/1.1 server: Netty event loops (epoll where the platform has it, one per core)
 * read each request whole, and each call then runs the {@link Pipeline} as plain blocking code on a
 * virtual thread scheduled on its connection's event loop ({@link LoopThreads}); the upstream client
 * takes the call's upstream connection from the same loop ({@link UpstreamExchanges}). So a call's
 * socket work, its waits and its wake-ups stay on one OS thread, as in an event-loop proxy, while the
 * pipeline reads as a sequence of stages.
 *
 * <p>Requests on one connection are answered in order, one at a time (pipelined requests wait their
 * turn). Endpoints are matched on the method and the path exactly as sent; anything else gets a
 * provider-shaped 404 with a decision id. A malformed request gets 400 and the connection is closed;
 * a body over {@link Gateway#MAX_BODY_BYTES} gets 413 before it is read and the connection is closed.
 * With TLS the listener speaks nothing else.
 */
final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** The request line and the header block: Helidon's defaults, which the model API had before. */
    private static final int MAX_INITIAL_LINE = 8192;

    private static final int MAX_HEADER_BYTES = 16 * 1024;
    /** A connection with no call under way that sends nothing for this long is closed. */
    static final Duration IDLE_LIMIT = Duration.ofMinutes(5);
    /** Pipelined requests read ahead of the one being answered before the connection stops reading. */
    private static final int MAX_QUEUED = 8;

    static {
        // Netty samples buffer allocations for leak reports unless told otherwise: a stack trace per
        // sampled buffer, about 1.5 % of the gateway's CPU under load. Off unless the property asks for it.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    private final Channel listener;

    private ApiServer(Channel listener) {
        this.listener = listener;
    }

    /** One endpoint's handler; runs on the call's virtual thread and answers through the exchange. */
    @FunctionalInterface
    interface Endpoint {
        void handle(ApiExchange exchange);
    }

    /**
     * Starts listening.
     *
     * @param endpoints "METHOD /path" to its handler
     * @param unknown   answers any other request
     * @param oversized answers a request whose body is over the limit (the connection is closed after)
     */
    static ApiServer start(
            String host,
            int port,
            Optional<Tls> tls,
            EventLoopGroup loops,
            Map<String, Endpoint> endpoints,
            Endpoint unknown,
            Endpoint oversized) {
        Map<String, Map<String, Endpoint>> routes = byPath(endpoints);
        Class<? extends ServerSocketChannel> type =
                Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops)
                .channel(type)
                .childOption(ChannelOption.TCP_NODELAY, true) // events are small writes that must leave at once
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        tls.ifPresent(t -> p.addLast(new SslHandler(engine(t))));
                        // Reads only: watching writes would add a listener to every write.
                        p.addLast(new IdleStateHandler(IDLE_LIMIT.toSeconds(), 0, 0, TimeUnit.SECONDS));
                        p.addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 64 * 1024));
                        p.addLast(new Aggregator(oversized));
                        p.addLast(new Calls(routes, unknown));
                    }
                });
        try {
            Channel listener = bootstrap.bind(host, port).sync().channel();
            LOG.info(
                    "model API: {} event loops ({}), calls on {}",
                    count(loops),
                    Epoll.isAvailable() ? "epoll" : "NIO",
                    LoopThreads.onLoops()
                            ? "virtual threads scheduled on the event loops"
                            : "virtual threads of the JDK's default scheduler");
            return new ApiServer(listener);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the model API to " + host + ":" + port, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "the model API cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The event loops of the model API: one per core, shared with the upstream client. */
    static EventLoopGroup loops() {
        return new MultiThreadIoEventLoopGroup(
                Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("clearance-api", true),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    private static int count(EventLoopGroup loops) {
        int n = 0;
        for (var ignored : loops) {
            n++;
        }
        return n;
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Stops accepting; calls under way finish or fail with their connections (the loops are the caller's). */
    @Override
    public void close() {
        listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static SSLEngine engine(Tls tls) {
        SSLEngine engine = tls.sslContext().createSSLEngine();
        SSLParameters parameters = tls.sslParameters();
        parameters.setApplicationProtocols(new String[] {"http/1.1"}); // ALPN: a client offering h2 too gets HTTP/1.1
        engine.setSSLParameters(parameters);
        engine.setUseClientMode(false);
        return engine;
    }

    /** "METHOD /path" → endpoint, as path → method → endpoint: found per call without building a key. */
    private static Map<String, Map<String, Endpoint>> byPath(Map<String, Endpoint> endpoints) {
        Map<String, Map<String, Endpoint>> byPath = new HashMap<>();
        endpoints.forEach((key, endpoint) -> {
            int space = key.indexOf(' ');
            if (space <= 0 || !key.startsWith("/", space + 1)) {
                throw new IllegalArgumentException("an endpoint is 'METHOD /path', not '" + key + "'");
            }
            byPath.computeIfAbsent(key.substring(space + 1), p -> new HashMap<>())
                    .put(key.substring(0, space), endpoint);
        });
        return Map.copyOf(byPath);
    }

    /** The exchange of {@code request}: its path and query split as sent, nothing decoded. */
    private static ApiExchange exchange(
            ChannelHandlerContext ctx,
            io.netty.handler.codec.http.HttpRequest request,
            byte[] body,
            boolean keepAlive) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        return new ApiExchange(
                ctx.channel(),
                request.method().name(),
                q < 0 ? uri : uri.substring(0, q),
                q < 0 ? "" : uri.substring(q + 1),
                request.headers(),
                body,
                keepAlive);
    }

    /** Reads each request whole; a body over the limit is answered before it is read. */
    private static final class Aggregator extends HttpObjectAggregator {
        private final Endpoint oversized;

        Aggregator(Endpoint oversized) {
            super((int) Gateway.MAX_BODY_BYTES, true);
            this.oversized = oversized;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversizedMessage) {
            if (!(oversizedMessage instanceof io.netty.handler.codec.http.HttpRequest request)) {
                ctx.close();
                return;
            }
            // On the event loop; the exchange is not kept alive: closed once written.
            oversized.handle(exchange(ctx, request, new byte[0], false));
        }
    }

    /** Runs each request's call on a virtual thread on this connection's loop, one call at a time. */
    private static final class Calls extends ChannelInboundHandlerAdapter {
        private final Map<String, Map<String, Endpoint>> routes;
        private final Endpoint unknown;
        private final ArrayDeque<ApiExchange> waiting = new ArrayDeque<>();
        private Thread.Builder.OfVirtual threads;
        private boolean busy;

        Calls(Map<String, Map<String, Endpoint>> routes, Endpoint unknown) {
            this.routes = routes;
            this.unknown = unknown;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            threads = LoopThreads.on(ctx.channel().eventLoop()).name("clearance-call");
            super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpRequest request)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            try {
                if (request.decoderResult().isFailure()) {
                    malformed(ctx, request);
                    return;
                }
                ApiExchange exchange =
                        exchange(ctx, request, ByteBufUtil.getBytes(request.content()), HttpUtil.isKeepAlive(request));
                if (busy) {
                    waiting.add(exchange);
                    if (waiting.size() >= MAX_QUEUED) {
                        ctx.channel().config().setAutoRead(false);
                    }
                } else {
                    run(ctx, exchange);
                }
            } finally {
                request.release();
            }
        }

        private void run(ChannelHandlerContext ctx, ApiExchange exchange) {
            busy = true;
            Map<String, Endpoint> methods = routes.get(exchange.path());
            Endpoint endpoint = methods == null ? unknown : methods.getOrDefault(exchange.method(), unknown);
            threads.start(() -> {
                try {
                    endpoint.handle(exchange);
                    if (!exchange.isSent()) {
                        LOG.error(
                                "model API call on {} ended without an answer; closing its connection",
                                exchange.path());
                        ctx.channel().close();
                    }
                } catch (RuntimeException | Error e) {
                    LOG.error("model API call on {} failed", exchange.path(), e);
                    ctx.channel().close();
                } finally {
                    ctx.executor().execute(() -> next(ctx));
                }
            });
        }

        /** On the loop, after a call ended: the next pipelined request, if one is waiting. */
        private void next(ChannelHandlerContext ctx) {
            busy = false;
            ApiExchange following = waiting.poll();
            if (following != null) {
                if (!ctx.channel().config().isAutoRead() && waiting.size() < MAX_QUEUED / 2) {
                    ctx.channel().config().setAutoRead(true);
                }
                run(ctx, following);
            }
        }

        /** 400 in the OpenAI shape (nothing says which API a broken request meant); the connection is closed after it. */
        private static void malformed(ChannelHandlerContext ctx, FullHttpRequest request) {
            Throwable cause = request.decoderResult().cause();
            String text = cause == null ? "malformed request" : String.valueOf(cause.getMessage());
            Pipeline.answer(
                    exchange(ctx, request, new byte[0], false),
                    ApiStyle.OPENAI,
                    new GatewayError(
                            GatewayError.Kind.INVALID_REQUEST,
                            "malformed_http",
                            "the request is not valid HTTP/1.1: " + text));
        }

        /** An idle connection is closed unless a call on it is under way (a stream may be quiet for long). */
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent && !busy && waiting.isEmpty()) {
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("model API connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
