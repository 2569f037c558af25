package dev.jgrad.spark.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Frame buffers recycled across steps, so that the steady state allocates nothing: every step sends and receives
 * frames of the same sizes, megabytes each, which Netty's allocators do not pool (they allocate and zero such
 * buffers afresh). Used by the event loops (receiving) and the summing thread (sending), hence synchronized.
 */
final class BufferPool {
    /** More idle buffers than a step uses means the sizes changed; the extra ones are freed. */
    private static final int MAX_IDLE = 64;

    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final List<ByteBuf> idle = new ArrayList<>();
    private boolean closed;

    /** An empty buffer of at least {@code bytes} capacity, owned by the caller: the smallest idle one that fits. */
    synchronized ByteBuf take(int bytes) {
        int best = -1;
        for (int i = 0; i < idle.size(); i++) {
            int cap = idle.get(i).capacity();
            if (cap >= bytes && (best < 0 || cap < idle.get(best).capacity())) best = i;
        }
        if (best >= 0) return idle.remove(best).clear();
        return alloc.directBuffer(bytes);
    }

    /** Takes back a buffer from {@link #take}, or frees it if someone (a write in flight) still holds it. */
    synchronized void give(ByteBuf b) {
        if (closed || b.refCnt() != 1 || idle.size() >= MAX_IDLE) {
            b.release();
            return;
        }
        idle.add(b);
    }

    synchronized void close() {
        closed = true;
        idle.forEach(ByteBuf::release);
        idle.clear();
    }
}
