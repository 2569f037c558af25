package dev.jgrad.spark;

import dev.jgrad.spark.exchange.TcpGradientSync;
import dev.jgrad.train.GradientSync;
import org.apache.spark.SparkEnv;

import java.time.Duration;
import java.util.List;

/**
 * The workers' gradient exchange: {@link TcpGradientSync} listening on the executor's own host (the address
 * Spark's block manager advertises, so peers on other machines can reach it).
 *
 * @param timeout the longest one wait of the exchange may last before a peer is declared failed
 */
record TcpExchange(Duration timeout) implements ExchangeStarter {
    private static final long serialVersionUID = 1L;

    @Override
    public Endpoint listen(int rank, int workers) {
        TcpGradientSync sync = TcpGradientSync.open(SparkEnv.get().blockManager().blockManagerId().host(), timeout);
        return new Endpoint() {
            @Override
            public String address() {
                return sync.address();
            }

            @Override
            public GradientSync connect(String[] addresses) {
                sync.connect(rank, List.of(addresses));
                return sync;
            }

            @Override
            public void close() {
                sync.close();
            }
        };
    }
}
