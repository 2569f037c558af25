package dev.jgrad.spark.exchange;

import dev.jgrad.train.GradientSync;
import dev.jgrad.train.GradientSyncException;
import dev.jgrad.train.Slices;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A {@link GradientSync} over direct TCP connections between the replicas, one per pair.
 *
 * <p>Each step is a reduce-scatter then an all-gather: the gradient is cut into {@link #workers()} chunks as
 * {@link Slices} cuts a batch; rank {@code c} owns chunk {@code c}, receives every other replica's part of it and
 * sums the parts in rank order (its own at its rank's place), then sends the sum to every other replica. Each
 * replica so sends and receives {@code 2 (N - 1) / N} times the gradient's size per step, and every replica ends
 * with the same bits. Floats travel raw (float32, little-endian), never compressed.
 *
 * <p>Set-up is in two phases, because replicas learn each other's address only after they are listening:
 * {@link #open} binds an ephemeral port and reports {@link #address()}; the caller shares the addresses (in
 * Spark, one {@code allGather}) and calls {@link #connect} with all of them in rank order. Every wait (connect,
 * each frame, each send) is bounded by the timeout; a peer that closes, dies or stays silent makes
 * {@link #sum} throw {@link GradientSyncException} naming it, and this replica then closes its connections so
 * the others fail fast too. After a failure the instance cannot be used again; close it.
 *
 * <p>Not thread-safe: one thread calls {@link #connect} and then {@link #sum}. Each instance owns its I/O
 * threads (daemon threads named {@code jgrad-exchange-*}); {@link #close} stops them and frees every buffer.
 */
public final class TcpGradientSync implements GradientSync, AutoCloseable {
    /** How long any one wait lasts by default before a peer is declared failed. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** Between connect attempts while a peer is not listening yet. */
    private static final long RETRY_MILLIS = 50;

    private final EventLoopGroup group;
    private final BufferPool pool = new BufferPool();
    /** Joined by close: the group reports termination just before its threads end. */
    private final List<Thread> ioThreads = new CopyOnWriteArrayList<>();
    private final Channel server;
    private final String address;
    private final long timeoutNanos;

    /** Peers that connected and said hello, by rank; they may arrive (and send) before {@link #connect}. */
    private final Map<Integer, Peer> accepted = new HashMap<>();
    private String acceptError; // guarded by accepted

    private volatile Peer[] peers; // by rank, null at this replica's own; null until connected
    private int rank = -1;
    private long step;
    /** This replica's chunk while it is summed, and one peer's part of it; grown, never shrunk. */
    private float[] acc = new float[0], received = new float[0];
    /** The step's sends, per peer: reduce-scatter at [c], all-gather at [workers + c]. */
    private ChannelFuture[] writes;
    /** The step's outgoing frames, back to the pool once sent: to rank c's chunk at [c], this rank's sum at [rank]. */
    private ByteBuf[] sending;
    private volatile GradientSyncException failure;
    private volatile boolean closed;

    private TcpGradientSync(String host, int port, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
        int threads = Math.min(4, Runtime.getRuntime().availableProcessors());
        DefaultThreadFactory named = new DefaultThreadFactory("jgrad-exchange", true);
        ThreadFactory recorded = task -> {
            Thread t = named.newThread(task);
            ioThreads.add(t);
            return t;
        };
        group = new MultiThreadIoEventLoopGroup(threads, recorded, NioIoHandler.newFactory());
        ChannelFuture bound = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer(null))
                .bind(host, port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
            throw new UncheckedIOException("cannot listen on " + host + " port " + port + ": " + bound.cause(),
                    bound.cause() instanceof IOException io ? io : new IOException(bound.cause()));
        }
        server = bound.channel();
        int boundPort = ((InetSocketAddress) server.localAddress()).getPort();
        address = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + boundPort;
    }

    /**
     * Starts listening on an ephemeral port of {@code host}.
     *
     * @param host    the interface to listen on, and the name the other replicas will connect to: this
     *                machine's address as they see it (in Spark, the executor's host)
     * @param timeout the longest any one wait may last (connecting, each peer's frame, each send) before the
     *                peer is declared failed; it must cover the slowest replica's compute time per step
     * @return the listening exchange; {@link #connect} it next
     * @throws UncheckedIOException when {@code host} cannot be listened on
     */
    public static TcpGradientSync open(String host, Duration timeout) {
        return new TcpGradientSync(host, 0, timeout);
    }

    /**
     * {@link #open(String, Duration)} with {@link #DEFAULT_TIMEOUT}.
     *
     * @param host the interface to listen on, and the name the other replicas will connect to
     * @return the listening exchange; {@link #connect} it next
     */
    public static TcpGradientSync open(String host) {
        return open(host, DEFAULT_TIMEOUT);
    }

    /** For tests: a fixed port. */
    static TcpGradientSync open(String host, int port, Duration timeout) {
        return new TcpGradientSync(host, port, timeout);
    }

    /** {@return where the other replicas reach this one, as "host:port" (an IPv6 host in brackets)} */
    public String address() {
        return address;
    }

    /**
     * Connects to every other replica; returns when all connections are up.
     *
     * @param rank      this replica's rank, its index in {@code addresses}
     * @param addresses every replica's {@link #address()}, in rank order (this replica's own included)
     * @throws IllegalArgumentException when {@code rank} is out of range or {@code addresses.get(rank)} is
     *                                  not this replica's address
     * @throws GradientSyncException    when a peer cannot be reached or does not connect within the timeout
     */
    public void connect(int rank, List<String> addresses) {
        if (closed) throw new IllegalStateException("this exchange is closed");
        if (peers != null) throw new IllegalStateException("already connected, as rank " + this.rank);
        int n = addresses.size();
        if (rank < 0 || rank >= n) {
            throw new IllegalArgumentException("rank " + rank + " is out of range for " + n + " addresses");
        }
        if (!addresses.get(rank).equals(address)) {
            throw new IllegalArgumentException("addresses.get(" + rank + ") is " + addresses.get(rank)
                    + " but this replica listens at " + address + ": pass every replica's address() in rank order");
        }
        long deadline = System.nanoTime() + timeoutNanos;
        Peer[] ps = new Peer[n];
        try {
            // Each pair has one connection: the higher rank dials the lower one.
            for (int j = 0; j < rank; j++) ps[j] = dial(rank, j, addresses.get(j), n, deadline);
            awaitAccepted(rank, addresses, deadline, ps);
        } catch (GradientSyncException e) {
            for (Peer p : ps) if (p != null && p.channel != null) p.channel.close();
            fail(e);
            throw e;
        }
        this.rank = rank;
        this.writes = new ChannelFuture[2 * n];
        this.sending = new ByteBuf[n];
        this.peers = ps;
    }

    @Override
    public int rank() {
        connected();
        return rank;
    }

    @Override
    public int workers() {
        return connected().length;
    }

    @Override
    public void sum(float[] grads, int length) {
        Peer[] ps = connected();
        Objects.checkFromIndexSize(0, length, grads.length);
        int n = ps.length;
        if (n == 1) return;
        if (Slices.size(length, n, n - 1) > Frames.MAX_FLOATS) {
            throw new IllegalArgumentException(length + " floats make chunks larger than one frame carries ("
                    + Frames.MAX_FLOATS + " floats); use more replicas or fewer parameters");
        }
        GradientSyncException earlier = failure;
        if (earlier != null) {
            throw new GradientSyncException("an earlier step failed, so this replica cannot take part in another: "
                    + earlier.getMessage(), earlier);
        }
        long s = step++;
        try {
            exchange(ps, grads, length, s);
        } catch (GradientSyncException e) {
            fail(e);
            throw e;
        } finally {
            Arrays.fill(writes, null);
            for (int i = 0; i < sending.length; i++) {
                if (sending[i] != null) sending[i].release(); // a failed step's frames; a write may still hold them
                sending[i] = null;
            }
        }
    }

    private void exchange(Peer[] ps, float[] grads, int length, long s) {
        int n = ps.length;
        // Each frame is retained so that it comes back to this replica, for the pool, once Netty has sent it.
        for (int c = 0; c < n; c++) {
            if (c == rank) continue;
            sending[c] = Frames.data(pool, Frames.REDUCE, s, grads, Slices.start(length, n, c), Slices.size(length, n, c));
            writes[c] = ps[c].channel.writeAndFlush(sending[c].retain());
        }
        int lo = Slices.start(length, n, rank), m = Slices.size(length, n, rank);
        if (acc.length < m) {
            acc = new float[m];
            received = new float[m];
        }
        // The contract's order, ((g0 + g1) + g2) + ..., element by element; Java float arithmetic is IEEE
        // binary32 with no fused or reordered operations, so every owner computes it the same way.
        for (int r = 0; r < n; r++) {
            float[] src = grads;
            int off = lo;
            if (r != rank) {
                take(ps[r], Frames.REDUCE, s, m, received, 0);
                src = received;
                off = 0;
            }
            if (r == 0) {
                System.arraycopy(src, off, acc, 0, m);
            } else {
                for (int i = 0; i < m; i++) acc[i] += src[off + i];
            }
        }
        System.arraycopy(acc, 0, grads, lo, m);
        sending[rank] = Frames.data(pool, Frames.GATHER, s, grads, lo, m);
        for (int c = 0; c < n; c++) {
            if (c != rank) writes[n + c] = ps[c].channel.writeAndFlush(sending[rank].retainedDuplicate());
        }
        for (int p = 0; p < n; p++) {
            if (p != rank) take(ps[p], Frames.GATHER, s, Slices.size(length, n, p), grads, Slices.start(length, n, p));
        }
        // Returning only once the sends are done means a close() right after the last step loses nothing.
        for (int i = 0; i < writes.length; i++) {
            if (writes[i] != null) awaitWrite(writes[i], ps[i % n]);
        }
        for (int i = 0; i < n; i++) {
            if (sending[i] != null) pool.give(sending[i]);
            sending[i] = null;
        }
    }

    /** Takes peer's next frame, checks it is the one due, and copies its floats to {@code dst[off ..)}. */
    private void take(Peer peer, int kind, long s, int count, float[] dst, int off) {
        ByteBuf f = peer.take(timeoutNanos, kind, s);
        try {
            if (Frames.kind(f) != kind || Frames.step(f) != s || Frames.count(f) != count) {
                throw new GradientSyncException(peer.describe() + " sent " + Frames.name(Frames.kind(f))
                        + " of step " + Frames.step(f) + " with " + Frames.count(f) + " floats where "
                        + Frames.name(kind) + " of step " + s + " with " + count + " floats was due: the replicas"
                        + " are out of step or were given different lengths", null);
            }
            Frames.copyFloats(f, dst, off);
        } finally {
            pool.give(f);
        }
    }

    private void awaitWrite(ChannelFuture write, Peer peer) {
        try {
            if (!write.await(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw new GradientSyncException(peer.describe() + " took no data for "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms: it is stalled, dead or unreachable", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GradientSyncException("interrupted while sending to " + peer.describe(), e);
        }
        if (!write.isSuccess()) {
            throw new GradientSyncException("sending to " + peer.describe() + " failed: " + write.cause(), write.cause());
        }
    }

    /** Opens this pair's connection to a lower rank, retrying while it is not listening yet. */
    private Peer dial(int self, int j, String addr, int n, long deadline) {
        Peer peer = new Peer(j, n);
        peer.address(addr);
        int colon = addr.lastIndexOf(':');
        String host = addr.substring(0, Math.max(colon, 0)).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(addr.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address of rank " + j + " is " + addr + ", not host:port", e);
        }
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(initializer(peer));
        Throwable last = null;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new GradientSyncException("could not connect to " + peer.describe() + " within "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms: " + last, last);
                }
                b.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.clamp(left / 1_000_000, 1, Integer.MAX_VALUE));
                ChannelFuture f = b.connect(host, port);
                if (!f.await(left, TimeUnit.NANOSECONDS)) {
                    f.channel().close();
                    continue;
                }
                if (f.isSuccess()) {
                    peer.channel = f.channel();
                    f.channel().writeAndFlush(Frames.hello(pool, self, n));
                    return peer;
                }
                last = f.cause();
                Thread.sleep(Math.min(RETRY_MILLIS, Math.max(1, left / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GradientSyncException("interrupted while connecting to " + peer.describe(), e);
        }
    }

    /** Waits for every higher rank to connect and say hello, and checks they agree on the worker count. */
    private void awaitAccepted(int self, List<String> addresses, long deadline, Peer[] ps) {
        int n = ps.length;
        synchronized (accepted) {
            for (int j = self + 1; j < n; j++) {
                while (!accepted.containsKey(j)) {
                    if (acceptError != null) throw new GradientSyncException(acceptError, null);
                    if (closed) throw new GradientSyncException("this exchange was closed while connecting", null);
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new GradientSyncException("rank " + j + " (" + addresses.get(j) + ") did not connect within "
                                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", null);
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(accepted, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new GradientSyncException("interrupted while waiting for rank " + j + " to connect", e);
                    }
                }
            }
            for (Peer p : accepted.values()) {
                if (p.rank <= self || p.rank >= n || p.announcedWorkers != n) {
                    throw new GradientSyncException("a peer connected as rank " + p.rank + " of " + p.announcedWorkers
                            + " workers, but this replica is rank " + self + " of " + n
                            + ": the replicas were given different address lists", null);
                }
                p.address(addresses.get(p.rank));
                ps[p.rank] = p;
            }
        }
    }

    /** Called on the event loop when an accepted connection says hello; null refuses it. */
    Peer accepted(int peerRank, int peerWorkers, Channel channel) {
        synchronized (accepted) {
            if (closed) return null;
            if (accepted.containsKey(peerRank)) {
                acceptError = "two connections both said they were rank " + peerRank
                        + ": replicas of two different runs share this address";
                accepted.notifyAll();
                return null;
            }
            Peer p = new Peer(peerRank, peerWorkers);
            p.channel = channel;
            accepted.put(peerRank, p);
            accepted.notifyAll();
            return p;
        }
    }

    private ChannelInitializer<SocketChannel> initializer(Peer peer) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new FrameDecoder(pool), new PeerHandler(TcpGradientSync.this, peer));
            }
        };
    }

    private Peer[] connected() {
        if (closed) throw new IllegalStateException("this exchange is closed");
        if (peers == null) throw new IllegalStateException("not connected: call connect(rank, addresses) first");
        return peers;
    }

    /** Remembers the failure and drops every connection, so that the peers stop waiting for this replica. */
    private void fail(GradientSyncException e) {
        if (failure == null) failure = e;
        Peer[] ps = peers;
        if (ps != null) for (Peer p : ps) if (p != null) p.channel.close();
        synchronized (accepted) {
            for (Peer p : accepted.values()) p.channel.close();
        }
    }

    /** Closes every connection, stops the I/O threads (waiting for them) and frees the buffers still queued. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        synchronized (accepted) {
            accepted.notifyAll();
        }
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
        boolean interrupted = false;
        for (Thread t : ioThreads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        Peer[] ps = peers;
        if (ps != null) for (Peer p : ps) if (p != null) p.releaseInbox();
        synchronized (accepted) {
            for (Peer p : accepted.values()) p.releaseInbox();
        }
        pool.close();
    }
}
