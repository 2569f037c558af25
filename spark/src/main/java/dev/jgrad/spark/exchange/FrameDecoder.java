package dev.jgrad.spark.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;

/**
 * Cuts a connection's bytes into frames (see {@link Frames}), passing each on without its length field. Unlike a
 * generic length-field decoder, which grows its buffer read by read (copying megabytes again and again), it takes
 * a buffer of the frame's full size from the {@link BufferPool} as soon as the length is known, and copies each
 * byte once.
 */
final class FrameDecoder extends ChannelInboundHandlerAdapter {
    private final BufferPool pool;
    private int length, lengthBytes;
    private ByteBuf frame; // being filled; null while the length field is read
    private int remaining;

    FrameDecoder(BufferPool pool) {
        this.pool = pool;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            while (in.isReadable()) {
                if (frame == null) {
                    length |= in.readUnsignedByte() << (8 * lengthBytes++);
                    if (lengthBytes < 4) continue;
                    if (length < 4) { // negative or shorter than a kind: not this protocol
                        ctx.fireExceptionCaught(new IOException("frame of length " + Integer.toUnsignedString(length)
                                + ": the peer is not speaking this protocol"));
                        ctx.close();
                        return;
                    }
                    frame = pool.take(4 + length); // what the sender took for it: one buffer size serves both
                    remaining = length;
                    length = lengthBytes = 0;
                } else {
                    int n = Math.min(remaining, in.readableBytes());
                    frame.writeBytes(in, n);
                    remaining -= n;
                    if (remaining == 0) {
                        ByteBuf done = frame;
                        frame = null;
                        ctx.fireChannelRead(done);
                    }
                }
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (frame != null) {
            frame.release();
            frame = null;
        }
        ctx.fireChannelInactive();
    }
}
