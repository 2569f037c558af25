package dev.jgrad.spark.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;

/**
 * Hands one connection's frames to its {@link Peer}. On a connection this replica opened the peer is known from
 * the start; on an accepted one it is the rank named by the first frame, the hello.
 */
final class PeerHandler extends ChannelInboundHandlerAdapter {
    private final TcpGradientSync sync;
    private Peer peer;

    PeerHandler(TcpGradientSync sync, Peer peer) {
        this.sync = sync;
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        boolean hello = Frames.wellFormed(frame) && Frames.kind(frame) == Frames.HELLO;
        if (peer == null) {
            try {
                if (hello && frame.getIntLE(frame.readerIndex() + 4) == Frames.MAGIC) {
                    peer = sync.accepted(frame.getIntLE(frame.readerIndex() + 8),
                            frame.getIntLE(frame.readerIndex() + 12), ctx.channel());
                }
            } finally {
                frame.release();
            }
            if (peer == null) ctx.close(); // not a jgrad replica of this run, or a duplicate rank
            return;
        }
        if (hello || !Frames.wellFormed(frame)) {
            frame.release();
            exceptionCaught(ctx, new IOException("malformed or unexpected frame: the peer is not speaking this protocol"));
            return;
        }
        peer.deliver(frame);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer != null) peer.disconnected(null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (peer != null) peer.disconnected(cause);
        ctx.close();
    }
}
