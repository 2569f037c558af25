package dev.jgrad.spark;

import dev.jgrad.train.GradientSync;
import dev.jgrad.train.GradientSyncException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A stand-in gradient exchange for the trainer's tests while the real one is built elsewhere: every rank sends
 * its gradient to rank 0 over a plain socket, rank 0 adds them in rank order and sends the total back. Exact
 * (the {@link GradientSync} contract), slow, for loopback only.
 */
final class StarExchangeForTests implements ExchangeStarter {
    private static final long serialVersionUID = 1L;

    @Override
    public Endpoint listen(int rank, int workers) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), workers);
        return new Endpoint() {
            private Socket[] sockets = new Socket[workers];
            private DataInputStream[] in = new DataInputStream[workers];
            private DataOutputStream[] out = new DataOutputStream[workers];

            @Override
            public String address() {
                return "127.0.0.1:" + server.getLocalPort();
            }

            @Override
            public GradientSync connect(String[] addresses) throws IOException {
                if (rank == 0) {
                    for (int i = 1; i < workers; i++) {
                        Socket s = server.accept();
                        DataInputStream din = new DataInputStream(new BufferedInputStream(s.getInputStream()));
                        int peer = din.readInt();
                        sockets[peer] = s;
                        in[peer] = din;
                        out[peer] = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
                    }
                } else {
                    String[] hp = addresses[0].split(":");
                    Socket s = new Socket(hp[0], Integer.parseInt(hp[1]));
                    sockets[0] = s;
                    in[0] = new DataInputStream(new BufferedInputStream(s.getInputStream()));
                    out[0] = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
                    out[0].writeInt(rank);
                    out[0].flush();
                }
                return new GradientSync() {
                    @Override
                    public int rank() {
                        return rank;
                    }

                    @Override
                    public int workers() {
                        return workers;
                    }

                    @Override
                    public void sum(float[] grads, int length) {
                        try {
                            if (rank == 0) {
                                for (int peer = 1; peer < workers; peer++) {
                                    for (int i = 0; i < length; i++) grads[i] += in[peer].readFloat();
                                }
                                for (int peer = 1; peer < workers; peer++) {
                                    for (int i = 0; i < length; i++) out[peer].writeFloat(grads[i]);
                                    out[peer].flush();
                                }
                            } else {
                                for (int i = 0; i < length; i++) out[0].writeFloat(grads[i]);
                                out[0].flush();
                                for (int i = 0; i < length; i++) grads[i] = in[0].readFloat();
                            }
                        } catch (IOException e) {
                            throw new GradientSyncException("rank " + rank + ": " + e.getMessage(), e);
                        }
                    }
                };
            }

            @Override
            public void close() {
                try {
                    server.close();
                    for (Socket s : sockets) if (s != null) s.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
