package dev.kefurelay.component;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback in front of a server that closes each client connection once no byte went either way
 * for {@code idleMs}, without a word, as load balancers and proxies with a short keep-alive timeout do.
 */
final class IdleClosingProxy implements AutoCloseable {

    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger idleCloses = new AtomicInteger();
    private final ServerSocket listener;
    private final int targetPort;
    private final long idleMs;

    IdleClosingProxy(int targetPort, long idleMs) throws IOException {
        this.targetPort = targetPort;
        this.idleMs = idleMs;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept, "idle-closing-proxy");
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                connections.incrementAndGet();
                AtomicLong lastByte = new AtomicLong(System.nanoTime());
                daemon(() -> pump(server, client, lastByte, false), "idle-closing-proxy-down");
                daemon(() -> pump(client, server, lastByte, true), "idle-closing-proxy-up");
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Copies bytes from one socket to the other; the client side's pump also watches for the idle time. */
    private void pump(Socket from, Socket to, AtomicLong lastByte, boolean watchIdle) {
        byte[] buffer = new byte[16 * 1024];
        try (from; to) {
            from.setSoTimeout(watchIdle ? 20 : 0);
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    if (System.nanoTime() - lastByte.get() >= idleMs * 1_000_000) {
                        // closed before it is counted: whoever waits for the count finds the connection closed
                        from.close();
                        to.close();
                        idleCloses.incrementAndGet();
                        return;
                    }
                    continue;
                }
                if (n < 0) {
                    return;
                }
                lastByte.set(System.nanoTime());
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: both close
        }
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
