package dev.kefurelay.media;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.message.StrictJson;
import org.apache.hc.core5.http.HttpHost;

/**
 * The target of each request of a URL source: its host resolved once, the first address {@link AllowHosts} lets
 * through pinned in the target, so the connection goes to the address that was checked and to no other. A host
 * whose every address is refused fails before any connection, naming the setting that would let it through.
 */
final class PinnedHosts implements AutoCloseable {

    /** How a host name becomes addresses: the system's resolver, or a test's own. */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final AllowHosts allowed;
    private final Lookup lookup;
    /** Lookups run here, so that a resolver slow to give up holds no fetch past its deadline. */
    private final ExecutorService lookups = Executors.newCachedThreadPool(UrlFetch.daemon("wechat-kefu-url-lookup"));

    PinnedHosts(AllowHosts allowed, Lookup lookup) {
        this.allowed = allowed;
        this.lookup = lookup;
    }

    /**
     * @param uri        the URL to fetch next
     * @param what       names the source in errors
     * @param redirected whether {@code uri} comes from a redirect, for the error
     * @param waitNanos  the longest the lookup may take
     * @throws IOException             no address in time, or none at all
     * @throws InvalidMessageException the host has no address the fetch may go to
     */
    HttpHost pin(URI uri, String what, boolean redirected, long waitNanos) throws IOException {
        String host = uri.getHost();
        if (host == null) {
            throw new IOException("no host in the URL");
        }
        for (InetAddress address : resolve(host, waitNanos)) {
            if (allowed.permits(host, address)) {
                return new HttpHost(UrlFetch.scheme(uri), address, AllowHosts.name(host), uri.getPort());
            }
        }
        throw new InvalidMessageException(what + " could not be fetched: " + (redirected ? "it redirects to " : "")
                + "host '" + StrictJson.excerpt(host) + "', which has no public address; to fetch from it, add the "
                + "host or its address range to " + UrlFetch.ALLOW_SETTING);
    }

    private InetAddress[] resolve(String host, long waitNanos) throws IOException {
        Future<InetAddress[]> answer = lookups.submit(() -> lookup.resolve(host));
        try {
            return answer.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new InterruptedIOException("no address for the host in time");
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    @Override
    public void close() {
        lookups.shutdownNow();
    }
}
