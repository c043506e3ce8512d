import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.*;
import io.netty.channel.epoll.*;
import io.netty.handler.codec.http.*;
import java.lang.reflect.Constructor;
import java.util.concurrent.*;

/**
 * A measurement, not part of Clearance: the gateway's shape since the fifth session — Netty's server
 * and client on the same epoll event loops, each request handled as plain blocking code on a virtual
 * thread (send upstream, wait for the answer, write it back). With "loop" the virtual thread's
 * scheduler is its connection's event loop (the JDK's builder taking a scheduler, by reflection: needs
 * --add-opens java.base/java.lang=ALL-UNNAMED); with "fj" it is the JDK's default fork-join scheduler.
 * One upstream connection per client connection, on the same loop; no decision, no log. See run.sh.
 */
public class NettyLoomProxy {
    static Constructor<?> BUILDER;
    static Thread.Builder.OfVirtual builder(Executor ex) throws Exception {
        if (ex == null) return Thread.ofVirtual();
        return (Thread.Builder.OfVirtual) BUILDER.newInstance(ex);
    }
    public static void main(String[] a) throws Exception {
        Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
        BUILDER = c.getDeclaredConstructor(Executor.class);
        BUILDER.setAccessible(true);
        int port = Integer.parseInt(a[0]);
        int upPort = Integer.parseInt(a[1]);
        int threads = Integer.parseInt(a[2]);
        boolean onLoop = a[3].equals("loop");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
        new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<Channel>() {
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Front("127.0.0.1", upPort, onLoop));
                }
            }).bind("127.0.0.1", port).sync();
        System.out.println("listening " + port);
        Thread.currentThread().join();
    }

    static final class Front extends SimpleChannelInboundHandler<FullHttpRequest> {
        final String host; final int port; final boolean onLoop; Channel up; volatile CompletableFuture<FullHttpResponse> pending;
        Thread.Builder.OfVirtual vb;
        Front(String h, int p, boolean l) { host = h; port = p; onLoop = l; }
        @Override public void channelActive(ChannelHandlerContext ctx) throws Exception {
            Channel in = ctx.channel();
            vb = builder(onLoop ? in.eventLoop() : null);
            ChannelFuture f = new Bootstrap().group(in.eventLoop()).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new SimpleChannelInboundHandler<FullHttpResponse>() {
                            protected void channelRead0(ChannelHandlerContext c, FullHttpResponse r) {
                                pending.complete(r.retainedDuplicate());
                            }
                        });
                    }
                }).connect(host, port);
            up = f.channel();
            in.config().setAutoRead(false);
            f.addListener(x -> in.config().setAutoRead(true));
        }
        @Override protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            FullHttpRequest fwd = req.retainedDuplicate();
            Channel in = ctx.channel();
            vb.start(() -> {
                try {
                    fwd.headers().set(HttpHeaderNames.HOST, host + ":" + port);
                    CompletableFuture<FullHttpResponse> f = new CompletableFuture<>();
                    pending = f;
                    up.writeAndFlush(fwd);
                    FullHttpResponse r = f.get();
                    HttpUtil.setKeepAlive(r, true);
                    in.writeAndFlush(r);
                } catch (Exception e) { e.printStackTrace(); in.close(); }
            });
        }
        @Override public void channelInactive(ChannelHandlerContext ctx) { if (up != null) up.close(); }
    }
}
