package dev.candor.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Many {@link ChatClient}s on a few shared {@link HttpClient}s (one small shared executor): connects them
 * asynchronously with a bound on handshakes in flight, waits on them together and closes them.
 */
final class ClientFleet implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final int maxInFlight;
    private final ExecutorService executor;
    private final List<HttpClient> http = new ArrayList<>();
    private final List<ChatClient> clients = new ArrayList<>();

    ClientFleet(URI endpoint, int httpClients, int executorThreads, int maxInFlight) {
        this.endpoint = endpoint;
        this.maxInFlight = maxInFlight;
        this.executor = Executors.newFixedThreadPool(executorThreads, daemon("bench-ws-"));
        for (int i = 0; i < httpClients; i++) {
            http.add(HttpClient.newBuilder().executor(executor).connectTimeout(CONNECT_TIMEOUT).build());
        }
    }

    /** Opens {@code count} more connections, at most {@code maxInFlight} handshakes at once; returns when all ended. */
    List<ChatClient> connect(int count) {
        Semaphore inFlight = new Semaphore(maxInFlight);
        List<ChatClient> opened = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inFlight.acquireUninterruptibly();
            ChatClient client = new ChatClient();
            opened.add(client);
            http.get(i % http.size()).newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT)
                    .buildAsync(endpoint, client)
                    .whenComplete((ws, error) -> {
                        if (error != null) {
                            client.failed(error);
                        }
                        inFlight.release();
                    });
        }
        inFlight.acquireUninterruptibly(maxInFlight);
        clients.addAll(opened);
        return opened;
    }

    /** Handshake times of the clients that opened, in milliseconds. */
    static Stats handshakes(List<ChatClient> clients) {
        return Stats.of(clients.stream().filter(ChatClient::isOpen).map(c -> c.handshakeNanos() / 1_000_000).toList());
    }

    List<ChatClient> clients() {
        return clients;
    }

    int count(Predicate<ChatClient> condition) {
        return (int) clients.stream().filter(condition).count();
    }

    /** Polls until every client satisfies {@code condition} or {@code timeout} passes; true if all do. */
    boolean awaitAll(Predicate<ChatClient> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (clients.stream().allMatch(condition)) {
                return true;
            }
            Progress.pause(Duration.ofMillis(20));
        }
        return clients.stream().allMatch(condition);
    }

    /** Sends {@code ping} on every open client and counts the pongs that arrive within {@code timeout}. */
    int pingAll(Duration timeout) {
        List<CompletableFuture<Void>> pongs = new ArrayList<>(clients.size());
        for (ChatClient client : clients) {
            pongs.add(client.ping());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < clients.size(); i++) {
            try {
                pongs.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return count(client -> client.pongs() > 0);
    }

    /** Closes every connection (close frame, then abort after a grace period) and stops the executor. */
    @Override
    public void close() {
        clients.forEach(ChatClient::closeQuietly);
        Progress.pause(Duration.ofSeconds(2));
        clients.forEach(ChatClient::abort);
        http.clear(); // JDK 17's HttpClient has no close(): its selector thread ends once the client is unreachable
        executor.shutdownNow();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, prefix + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
