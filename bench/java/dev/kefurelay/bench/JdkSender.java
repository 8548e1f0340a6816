package dev.kefurelay.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The reference: a bare java.net.http.HttpClient (HTTP/1.1) posting the prepared WeChat bodies, with a token per
 * account fetched before the first phase and never again. A rate bound more than a CPU floor: it reads, checks and
 * logs nothing. The fake WeChat's warm-up uses it too.
 */
final class JdkSender implements PeerClient.Sender {

    private final HttpClient http = client();
    private final List<URI> sendUrls = new ArrayList<>();
    private final List<String> bodies;

    /** Bodies 0..size-1 prepared, tokens fetched. */
    JdkSender(String baseUrl, List<String> appids, int size) throws IOException, InterruptedException {
        for (String appid : appids) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl
                    + "/cgi-bin/token?grant_type=client_credential&appid=" + appid + "&secret=s")).build(),
                    HttpResponse.BodyHandlers.ofString());
            sendUrls.add(URI.create(baseUrl + "/cgi-bin/message/custom/send?access_token="
                    + r.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1")));
        }
        List<String> prepared = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            prepared.add(BenchTexts.wechatBody(i));
        }
        bodies = prepared;
    }

    /** Without tokens: the fake WeChat takes any (its warm-up). */
    JdkSender(String baseUrl, int accounts, int size) {
        for (int a = 0; a < accounts; a++) {
            sendUrls.add(URI.create(baseUrl + "/cgi-bin/message/custom/send?access_token=BENCH-WARM-UP"));
        }
        bodies = new RelayBenchmark.Lazy(size, BenchTexts::wechatBody);
    }

    @Override
    public boolean send(int i) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(sendUrls.get(BenchTexts.accountOf(i, sendUrls.size())))
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && r.body().contains("\"errcode\":0");
    }

    /** A plain HTTP/1.1 client, as the reference posts with. */
    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();
    }
}
