import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.*;
import io.netty.channel.epoll.*;
import io.netty.handler.codec.http.*;
import java.util.concurrent.*;

/**
 * A measurement, not part of Clearance: the shape the gateway has since the fourth session — Helidon's
 * server on virtual threads, the upstream call sent by a Netty client on its own event loop while the
 * virtual thread waits for the answer (no decision, no log). See run.sh.
 */
public class HelidonNettyClientProxy {
    static EventLoopGroup group;
    static final ConcurrentLinkedQueue<Up> pool = new ConcurrentLinkedQueue<>();
    static int upPort;

    static final class Up {
        Channel ch;
        volatile CompletableFuture<FullHttpResponse> pending;
    }

    static Up connect() throws Exception {
        Up u = new Up();
        u.ch = new Bootstrap().group(group).channel(EpollSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<Channel>() {
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                        new SimpleChannelInboundHandler<FullHttpResponse>() {
                            protected void channelRead0(ChannelHandlerContext c, FullHttpResponse r) {
                                u.pending.complete(r.retainedDuplicate());
                            }
                        });
                }
            }).connect("127.0.0.1", upPort).sync().channel();
        return u;
    }

    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]);
        upPort = Integer.parseInt(a[1]);
        group = new MultiThreadIoEventLoopGroup(Integer.parseInt(a[2]), EpollIoHandler.newFactory());
        WebServer.builder().host("127.0.0.1").port(port).connectionOptions(o -> o.tcpNoDelay(true))
            .routing(r -> r.post("/v1/chat/completions", (req, res) -> {
                byte[] body = req.content().inputStream().readAllBytes();
                Up u = pool.poll();
                if (u == null) u = connect();
                CompletableFuture<FullHttpResponse> f = new CompletableFuture<>();
                u.pending = f;
                FullHttpRequest fr = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                    "/v1/chat/completions", Unpooled.wrappedBuffer(body));
                fr.headers().set(HttpHeaderNames.HOST, "127.0.0.1").set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                u.ch.writeAndFlush(fr);
                FullHttpResponse resp = f.get();
                pool.offer(u);
                byte[] out = new byte[resp.content().readableBytes()];
                resp.content().readBytes(out);
                resp.release();
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                res.send(out);
            })).build().start();
        Thread.currentThread().join();
    }
}
