import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.*;
import io.netty.channel.epoll.*;
import io.netty.handler.codec.http.*;

/**
 * A measurement, not part of Clearance: the bare HTTP/1.1 reverse proxy an event-loop server gives on
 * Netty's epoll transport (one upstream connection per client connection, on the same event loop;
 * no decision, no log), to bound what an event-loop data plane could reach. See run.sh.
 */
public class BareNettyProxy {
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]);
        String upHost = "127.0.0.1";
        int upPort = Integer.parseInt(a[1]);
        int threads = a.length > 2 ? Integer.parseInt(a[2]) : 2;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
        new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<Channel>() {
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Front(upHost, upPort));
                }
            }).bind("127.0.0.1", port).sync();
        System.out.println("listening " + port);
        Thread.currentThread().join();
    }

    static final class Front extends SimpleChannelInboundHandler<FullHttpRequest> {
        final String host; final int port; Channel up;
        Front(String h, int p) { host = h; port = p; }
        @Override public void channelActive(ChannelHandlerContext ctx) {
            Channel in = ctx.channel();
            ChannelFuture f = new Bootstrap().group(in.eventLoop()).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new SimpleChannelInboundHandler<FullHttpResponse>() {
                            protected void channelRead0(ChannelHandlerContext c, FullHttpResponse r) {
                                FullHttpResponse out = r.retainedDuplicate();
                                HttpUtil.setKeepAlive(out, true);
                                in.writeAndFlush(out);
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
            fwd.headers().set(HttpHeaderNames.HOST, host + ":" + port);
            up.writeAndFlush(fwd);
        }
        @Override public void channelInactive(ChannelHandlerContext ctx) { if (up != null) up.close(); }
    }
}
