package dev.trainyard.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay in front of a server, so a test can take the server away from the application
 * without stopping it for everyone else: {@link #cut()} drops every open connection and turns new
 * ones away at once, as a stopped PostgreSQL does; {@link #restore()} lets them through again.
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        var t = new Thread(r, "tcp-proxy");
        t.setDaemon(true);
        return t;
    });
    private boolean cut;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads.execute(this::accept);
    }

    /** A proxy in front of the server of a {@code jdbc:postgresql://host:port/db} URL. */
    public static TcpProxy inFrontOf(String jdbcUrl) {
        URI server = URI.create(jdbcUrl.substring("jdbc:".length()));
        return new TcpProxy(server.getHost(), server.getPort());
    }

    /** The same JDBC URL, through this proxy. */
    public String jdbcUrl(String jdbcUrl) {
        return jdbcUrl.replaceFirst("//[^/]+/", "//" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort() + "/");
    }

    /** Closes every open connection; until {@link #restore()}, new ones are closed as soon as they arrive. */
    public void cut() {
        synchronized (open) {
            cut = true;
            open.forEach(TcpProxy::closeQuietly);
            open.clear();
        }
    }

    public void restore() {
        synchronized (open) {
            cut = false;
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return;
            }
            threads.execute(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket upstream = null;
        try {
            upstream = isCut() ? null : new Socket(targetHost, targetPort);
        } catch (IOException e) {
            // The real server refused: so does the proxy.
        }
        synchronized (open) {
            if (cut || upstream == null) {
                closeQuietly(client);
                closeQuietly(upstream);
                return;
            }
            open.add(client);
            open.add(upstream);
        }
        Socket server = upstream;
        threads.execute(() -> pipe(client, server));
        threads.execute(() -> pipe(server, client));
    }

    private boolean isCut() {
        synchronized (open) {
            return cut;
        }
    }

    private void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // One side went away; the other goes too.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        cut();
        threads.shutdownNow();
    }
}
