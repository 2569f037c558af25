package dev.jgrad.spark.exchange;

import dev.jgrad.train.GradientSyncException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One other replica: the connection to it and the frames it sent that the summing thread has not taken yet.
 * The event loop delivers frames; the summing thread takes them in the order the protocol needs them, so a peer
 * that runs ahead (its next step's contribution arriving early) simply waits here.
 */
final class Peer {
    final int rank;
    /** Set once the connection is up: at once for an accepted one, after the connect for an opened one. */
    volatile Channel channel;
    /** The worker count the peer announced in its hello; checked against this replica's in connect. */
    final int announcedWorkers;
    private String address = "address unknown";

    private final ArrayDeque<ByteBuf> inbox = new ArrayDeque<>();
    private boolean disconnected;
    private Throwable cause;

    Peer(int rank, int announcedWorkers) {
        this.rank = rank;
        this.announcedWorkers = announcedWorkers;
    }

    synchronized void address(String address) {
        this.address = address;
    }

    /** "rank 2 (10.0.0.3:41234)": how errors name the peer. */
    synchronized String describe() {
        return "rank " + rank + " (" + address + ")";
    }

    /** Called on the event loop; takes ownership of the frame. */
    synchronized void deliver(ByteBuf frame) {
        if (disconnected) {
            frame.release();
            return;
        }
        inbox.add(frame);
        notifyAll();
    }

    /** Called on the event loop when the connection closes or fails; frames already received stay takeable. */
    synchronized void disconnected(Throwable cause) {
        if (!disconnected) {
            disconnected = true;
            this.cause = cause;
        }
        notifyAll();
    }

    /**
     * The next frame from this peer, owned by the caller; waits at most {@code timeoutNanos}.
     * {@code kind} and {@code step} (what the caller is waiting for) only word the error.
     */
    synchronized ByteBuf take(long timeoutNanos, int kind, long step) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (inbox.isEmpty()) {
            if (disconnected) {
                throw new GradientSyncException(describe() + " closed its connection before sending "
                        + Frames.name(kind) + " of step " + step + (cause == null ? "" : ": " + cause), cause);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new GradientSyncException(describe() + " sent nothing for "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms while this replica waited for "
                        + Frames.name(kind) + " of step " + step + ": it is stalled, dead or unreachable", null);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GradientSyncException("interrupted while waiting for " + describe() + " in step " + step, e);
            }
        }
        return inbox.poll();
    }

    /** Drops the frames nobody will take, once the event loop has stopped. */
    synchronized void releaseInbox() {
        disconnected = true;
        for (ByteBuf b; (b = inbox.poll()) != null; ) b.release();
    }
}
