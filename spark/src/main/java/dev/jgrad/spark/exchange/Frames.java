package dev.jgrad.spark.exchange;

import io.netty.buffer.ByteBuf;
import java.nio.ByteOrder;

/**
 * The wire format, all little-endian: every frame is an int32 byte count of what follows, then an int32 kind.
 * {@link FrameDecoder} cuts the stream at the length fields. A hello (sent once by the connecting side) carries a magic number, the sender's rank and its worker count;
 * a data frame carries the step number, a float count and that many raw float32 values. The step number makes a
 * stale or misordered frame an error instead of a silently wrong sum.
 */
final class Frames {
    private Frames() {}

    static final int HELLO = 1;
    /** A contribution to the receiver's chunk (reduce-scatter). */
    static final int REDUCE = 2;
    /** The sender's chunk, summed (all-gather). */
    static final int GATHER = 3;

    /** "jgr1": tells a jgrad replica from anything else that reaches the port. */
    static final int MAGIC = 0x6A677231;

    /** Bytes after the length field, before the floats: kind, step, count. */
    private static final int DATA_HEADER = 4 + 8 + 4;
    /** The largest float count one frame can carry (its byte count must fit the int32 length field). */
    static final int MAX_FLOATS = (Integer.MAX_VALUE - DATA_HEADER) / Float.BYTES;

    static ByteBuf hello(BufferPool pool, int rank, int workers) {
        ByteBuf b = pool.take(4 + 16);
        return b.writeIntLE(16).writeIntLE(HELLO).writeIntLE(MAGIC).writeIntLE(rank).writeIntLE(workers);
    }

    /** A data frame holding {@code src[off .. off + count)}. */
    static ByteBuf data(BufferPool pool, int kind, long step, float[] src, int off, int count) {
        int bytes = count * Float.BYTES;
        ByteBuf b = pool.take(4 + DATA_HEADER + bytes);
        b.writeIntLE(DATA_HEADER + bytes).writeIntLE(kind).writeLongLE(step).writeIntLE(count);
        // One bulk copy through a little-endian view of the buffer's memory, not a put per float.
        b.nioBuffer(b.writerIndex(), bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(src, off, count);
        return b.writerIndex(b.writerIndex() + bytes);
    }

    static int kind(ByteBuf frame) {
        return frame.getIntLE(frame.readerIndex());
    }

    static long step(ByteBuf frame) {
        return frame.getLongLE(frame.readerIndex() + 4);
    }

    static int count(ByteBuf frame) {
        return frame.getIntLE(frame.readerIndex() + 12);
    }

    /** Copies a data frame's floats into {@code dst[off .. off + count(frame))}. */
    static void copyFloats(ByteBuf frame, float[] dst, int off) {
        int count = count(frame);
        frame.nioBuffer(frame.readerIndex() + DATA_HEADER, count * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dst, off, count);
    }

    /** Whether a frame is as long as its header says (a hello's or a data frame's). */
    static boolean wellFormed(ByteBuf frame) {
        int n = frame.readableBytes();
        if (n < 4) return false;
        return kind(frame) == HELLO ? n == 16
                : n >= DATA_HEADER && count(frame) >= 0 && n == DATA_HEADER + (long) count(frame) * Float.BYTES;
    }

    static String name(int kind) {
        return switch (kind) {
            case HELLO -> "a hello";
            case REDUCE -> "a reduce-scatter contribution";
            case GATHER -> "an all-gather chunk";
            default -> "an unknown frame (kind " + kind + ")";
        };
    }
}
