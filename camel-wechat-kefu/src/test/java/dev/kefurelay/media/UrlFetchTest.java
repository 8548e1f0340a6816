package dev.kefurelay.media;

import static dev.kefurelay.media.FetchServers.PICTURE;
import static dev.kefurelay.media.FetchServers.fetch;
import static dev.kefurelay.media.FetchServers.refusal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which hosts a URL source may reach, against real local servers that record every request they get: a host that is
 * not public is refused in every spelling and through redirects before any connection (the server is never hit), an
 * allowed one is fetched, at the address that was checked. What answered and how long it may take:
 * {@link UrlFetchDeadlineTest}.
 */
class UrlFetchTest {

    private static final String NOT_PUBLIC = "which has no public address; to fetch from it, add the host or its "
            + "address range to kefu.media.allow-hosts (component option mediaAllowHosts)";

    @RegisterExtension
    final FetchServers servers = new FetchServers();

    @Test
    void everySpellingOfAnAddressThatIsNotPublicIsRefusedBeforeAnyConnection() {
        UrlFetch fetch = servers.fetcher("");
        List<String> urls = new ArrayList<>(List.of(
                "http://127.0.0.1:" + servers.port() + "/admin/delete-everything",
                "http://localhost:" + servers.port() + "/admin/delete-everything", // a name that resolves to loopback
                "HTTP://127.0.0.1:" + servers.port() + "/admin/delete-everything",
                "hTTp://LOCALHOST:" + servers.port() + "/admin/delete-everything",
                "http://2130706433:" + servers.port() + "/admin/delete-everything", // 127.0.0.1 as one decimal number
                "http://0.0.0.0:" + servers.port() + "/admin/delete-everything", // reaches the host itself on Linux
                "http://[::ffff:127.0.0.1]:" + servers.port() + "/admin/delete-everything",
                "http://[::127.0.0.1]:" + servers.port() + "/admin/delete-everything",
                "http://[::1]:" + (servers.v6Port()) + "/admin/delete-everything",
                // nothing listens there: the error itself says the refusal came before any connection
                "http://10.0.0.1/x.png", "http://172.16.5.4/x.png", "http://192.168.1.1/x.png",
                "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/x.png", "http://198.18.0.1/x.png",
                "http://224.0.0.1/x.png", "http://[fd00::1]/x.png", "http://[fe80::1]/x.png",
                "http://[64:ff9b::a00:1]/x.png"));
        for (String url : urls) {
            String error = refusal(fetch, url);
            assertTrue(error.startsWith("image.source_url '"), error);
            assertTrue(error.contains("could not be fetched: host '"), error);
            assertTrue(error.endsWith(NOT_PUBLIC), error);
        }
        // a short form Java's URL parser takes for no host at all (the message reader refuses it before)
        String error = refusal(fetch, "http://127.1:" + servers.port() + "/admin/delete-everything");
        assertTrue(error.contains("could not be fetched"), error);
        assertEquals(List.of(), servers.hits, "no request reached a server");
    }

    @Test
    void aRedirectToAnAddressThatIsNotPublicIsRefusedBeforeItIsFollowed() {
        // the first server is let through by its name; where it redirects to is checked anew
        List<String> targets = List.of("http://127.0.0.1:" + servers.port() + "/admin/delete-everything",
                "http://2130706433:" + servers.port() + "/admin/delete-everything",
                "HTTP://[::ffff:127.0.0.1]:" + servers.port() + "/admin/delete-everything",
                "http://169.254.169.254/latest/meta-data/");
        AtomicInteger redirects = new AtomicInteger();
        servers.v4().createContext("/go", exchange -> {
            int n = Integer.parseInt(exchange.getRequestURI().getQuery());
            redirects.incrementAndGet();
            exchange.getResponseHeaders().set("Location", targets.get(n));
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        UrlFetch fetch = servers.fetcher("localhost");
        for (int n = 0; n < targets.size(); n++) {
            String error = refusal(fetch, "http://localhost:" + servers.port() + "/go?" + n);
            assertTrue(error.contains("could not be fetched: it redirects to host '"), error);
            assertTrue(error.endsWith(NOT_PUBLIC), error);
        }
        assertEquals(targets.size(), redirects.get());
        assertEquals(List.of(), servers.hits, "the redirects' targets were never requested");
    }

    @Test
    void anAllowedAddressOrNameIsFetched() {
        assertArrayEquals(PICTURE,
                fetch(servers.fetcher("127.0.0.1"), "http://127.0.0.1:" + servers.port() + "/pic.png"));
        assertArrayEquals(PICTURE,
                fetch(servers.fetcher("127.0.0.0/8"), "HTTP://127.0.0.1:" + servers.port() + "/pic.png"));
        assertArrayEquals(PICTURE, fetch(servers.fetcher("10.1.0.0/16, localhost"),
                "http://localhost:" + servers.port() + "/pic.png"));
        assertEquals(List.of("GET /pic.png", "GET /pic.png", "GET /pic.png"), servers.hits);
        // a name lets through what it resolves to, not every spelling of that address
        refusal(servers.fetcher("localhost"), "http://127.0.0.1:" + servers.port() + "/pic.png");
        assertEquals(3, servers.hits.size());
    }

    @Test
    void theConnectionGoesToTheAddressThatWasCheckedAndTheClientNeverLooksUpANameItself() {
        // a name the system cannot resolve: only the fetch's own lookup knows it, once per request
        AtomicInteger lookups = new AtomicInteger();
        PinnedHosts hosts = new PinnedHosts(AllowHosts.parse("127.0.0.1/32", "test"), host -> {
            lookups.incrementAndGet();
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        });
        UrlFetch fetch = servers.fetcher(hosts);
        assertArrayEquals(PICTURE, fetch(fetch, "http://media.example.test:" + servers.port() + "/pic.png"));
        assertEquals(1, lookups.get());
        assertEquals(List.of("GET /pic.png"), servers.hits);
    }
}
