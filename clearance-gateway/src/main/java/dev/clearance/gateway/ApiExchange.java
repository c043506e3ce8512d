package dev.clearance.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * One model API request and its response, as the {@link Pipeline} sees them: the request read whole
 * by the {@link ApiServer} (head and body, the body within {@link Gateway#MAX_BODY_BYTES}), the
 * response written by the call's thread. A response is sent once: whole ({@link #send}) or as a
 * stream ({@link #outputStream}, each {@code flush} leaves at once: one event, one write).
 *
 * <p>The call's thread writes; the connection's event loop does the socket work, in the order the
 * writes were made. A stream written faster than the caller reads waits once the connection's
 * outgoing buffer passes Netty's high-water mark; a caller gone makes the next write fail.
 */
final class ApiExchange {
    private final Channel channel;
    private final String method;
    private final String path;
    private final String rawQuery;
    private final HttpHeaders requestHeaders;
    private final byte[] body;
    private final boolean keepAlive;
    private final HttpHeaders responseHeaders = ProxyHeaders.OUTGOING.newHeaders();
    private int status = 200;
    private volatile boolean sent;

    ApiExchange(
            Channel channel,
            String method,
            String path,
            String rawQuery,
            HttpHeaders headers,
            byte[] body,
            boolean keepAlive) {
        this.channel = channel;
        this.method = method;
        this.path = path;
        this.rawQuery = rawQuery;
        this.requestHeaders = headers;
        this.body = body;
        this.keepAlive = keepAlive;
    }

    // ---- the request ----

    String method() {
        return method;
    }

    /** The path as it arrived, without the query: endpoints are matched on it exactly. */
    String path() {
        return path;
    }

    /** The query string as it arrived (no '?'), empty when there is none. */
    String rawQuery() {
        return rawQuery;
    }

    /** The first value of a request header, when present. */
    Optional<String> header(CharSequence name) {
        return Optional.ofNullable(requestHeaders.get(name));
    }

    /** Every value of a request header, in order (empty when absent). */
    List<String> headers(CharSequence name) {
        return requestHeaders.getAll(name);
    }

    boolean hasHeader(CharSequence name) {
        return requestHeaders.contains(name);
    }

    /** The request body (empty when the request had none). */
    byte[] body() {
        return body;
    }

    /** The address the connection came from, or null when it is not an IP socket. */
    InetSocketAddress remote() {
        SocketAddress a = channel.remoteAddress();
        return a instanceof InetSocketAddress i ? i : null;
    }

    /** The event loop the connection is served on: its upstream connections are taken from the same loop. */
    EventLoop loop() {
        return channel.eventLoop();
    }

    // ---- the response ----

    void status(int code) {
        this.status = code;
    }

    int status() {
        return status;
    }

    /** Adds a response header (before the response is sent). */
    void header(CharSequence name, CharSequence value) {
        responseHeaders.add(name, value);
    }

    boolean isSent() {
        return sent;
    }

    /** Sends the whole response with {@code content} as its body (then closes a connection not kept alive). */
    void send(byte[] content) {
        claim();
        var response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(content),
                responseHeaders, // sent once (claim), so the response takes them as they are
                EmptyHttpHeaders.INSTANCE);
        HttpUtil.setContentLength(response, content.length);
        HttpUtil.setKeepAlive(response, keepAlive);
        closeUnlessKeptAlive(channel.writeAndFlush(response));
    }

    /**
     * The response body as a stream: the head leaves with the first flush or write, chunked; each
     * {@code flush} sends what was written; {@code close} ends the response.
     */
    OutputStream outputStream() {
        claim();
        return new Chunks();
    }

    private void claim() {
        if (sent) {
            throw new IllegalStateException("the response was already sent");
        }
        sent = true;
    }

    /** A connection not kept alive is closed once the response's last write is done. */
    private void closeUnlessKeptAlive(ChannelFuture lastWrite) {
        if (!keepAlive) {
            lastWrite.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The streamed body: chunked transfer, written in order on the connection's event loop. */
    private final class Chunks extends OutputStream {
        private boolean headSent;
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            open();
            if (len == 0) {
                return;
            }
            ByteBuf copy = Unpooled.copiedBuffer(b, off, len);
            waitIfFull(channel.write(new DefaultHttpContent(copy)));
        }

        @Override
        public synchronized void flush() throws IOException {
            open();
            channel.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            if (closed) {
                return;
            }
            if (channel.isActive()) {
                head();
                closeUnlessKeptAlive(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
            }
            closed = true;
        }

        private void open() throws IOException {
            if (closed) {
                throw new IOException("the response stream is closed");
            }
            if (!channel.isActive()) {
                throw new IOException("the caller closed the connection");
            }
            head();
        }

        private void head() {
            if (headSent) {
                return;
            }
            headSent = true;
            HttpResponse head =
                    new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), responseHeaders);
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            HttpUtil.setKeepAlive(head, keepAlive);
            channel.write(head);
        }

        /** Past the connection's high-water mark the writer waits for the caller to read. */
        private void waitIfFull(ChannelFuture write) throws IOException {
            if (channel.isWritable()) {
                return;
            }
            channel.flush();
            try {
                write.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the caller was slow to read");
            }
            if (!write.isSuccess()) {
                throw new IOException("the caller closed the connection", write.cause());
            }
        }
    }
}
