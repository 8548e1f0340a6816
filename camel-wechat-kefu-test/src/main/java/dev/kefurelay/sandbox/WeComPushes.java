package dev.kefurelay.sandbox;

import dev.kefurelay.push.PushCrypto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * WeCom's callbacks to a relay's {@code /wecom/kf}: encrypted as WeCom does (WXBizMsgCrypt with the corp id as the
 * receive id, the relay's own {@link PushCrypto}), signed in {@code msg_signature}, with a fresh timestamp and nonce.
 * A 微信客服 callback carries no message, only that there is something to read: {@code <Event>kf_msg_or_event</Event>},
 * a {@code <Token>} for sync_msg (valid 10 minutes) and the {@code <OpenKfId>}.
 */
public final class WeComPushes {

    public static final String PATH = "/wecom/kf";

    /**
     * What the relay answered, and what was pushed (to push the very same again: WeCom's retry, or a replay):
     * {@code xml} the plaintext, {@code query} and {@code sent} the request as it went over the wire.
     */
    public record Result(int status, String body, String timestamp, String nonce, String xml, String query,
            String sent) {

        /** WeCom takes any HTTP 200 as received; the relay answers {@code success}. */
        public boolean success() {
            return status == 200;
        }
    }

    private final SandboxWeCom wecom;
    private final String url;
    private final String corpid;
    private final PushCrypto crypto;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param pushUrl the relay's push root (callbacks to its {@value #PATH}) or a whole callback URL, with a path */
    WeComPushes(SandboxWeCom wecom, String pushUrl, String corpid, String token, String aesKey) {
        this.wecom = wecom;
        this.url = callbackUrl(pushUrl);
        this.corpid = corpid;
        this.crypto = new PushCrypto(token, aesKey, null, corpid, "sandbox WeCom callback");
    }

    /** The callback that tells the relay to read this kf account's messages, with a new sync token. */
    public Result kfMsgOrEvent(String openKfid) {
        String syncToken = wecom.callbackToken(openKfid);
        return push("<xml><ToUserName><![CDATA[" + corpid + "]]></ToUserName><CreateTime>" + now()
                + "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event>"
                + "<Token><![CDATA[" + syncToken + "]]></Token><OpenKfId><![CDATA[" + openKfid
                + "]]></OpenKfId></xml>");
    }

    /** Encrypts and POSTs this plaintext XML with a fresh timestamp and nonce. */
    public Result push(String plaintextXml) {
        return push(plaintextXml, String.valueOf(now()), UUID.randomUUID().toString().replace("-", ""));
    }

    public Result push(String plaintextXml, String timestamp, String nonce) {
        PushCrypto.Encrypted e = crypto.encrypt(plaintextXml, timestamp, nonce);
        String query = "msg_signature=" + e.msgSignature() + "&timestamp=" + timestamp + "&nonce=" + nonce;
        String body = "<xml><ToUserName><![CDATA[" + corpid + "]]></ToUserName><AgentID><![CDATA[]]></AgentID>"
                + "<Encrypt><![CDATA[" + e.encrypt() + "]]></Encrypt></xml>";
        return post(query, body, timestamp, nonce, plaintextXml);
    }

    /** The very same request once more: what WeCom's retry, or someone who recorded it, sends. */
    public Result again(Result earlier) {
        return post(earlier.query(), earlier.sent(), earlier.timestamp(), earlier.nonce(), earlier.xml());
    }

    /** A raw POST, for callbacks a test builds by hand (bad signatures, another corp's). */
    public Result post(String query, String body) {
        return post(query, body, null, null, null);
    }

    /**
     * WeCom's URL verification: a GET with {@code echostr} encrypted and signed; the relay must answer it decrypted.
     */
    public Result verifyUrl(String echostr) {
        String timestamp = String.valueOf(now());
        String nonce = UUID.randomUUID().toString().replace("-", "");
        PushCrypto.Encrypted e = crypto.encrypt(echostr, timestamp, nonce);
        String query = "msg_signature=" + e.msgSignature() + "&timestamp=" + timestamp + "&nonce=" + nonce
                + "&echostr=" + Pushes.q(e.encrypt());
        return send(HttpRequest.newBuilder(URI.create(url + "?" + query)).GET(), query, null, timestamp, nonce, null);
    }

    private Result post(String query, String body, String timestamp, String nonce, String xml) {
        return send(HttpRequest.newBuilder(URI.create(url + "?" + query))
                .header("Content-Type", "text/xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)), query, body, timestamp,
                nonce, xml);
    }

    private Result send(HttpRequest.Builder builder, String query, String body, String timestamp, String nonce,
            String xml) {
        try {
            HttpResponse<String> response = http.send(builder.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Result(response.statusCode(), response.body(), timestamp, nonce, xml, query, body);
        } catch (IOException e) {
            throw new UncheckedIOException("WeCom callback to " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "WeComPushes[" + url + ", corp " + corpid + ", token and key not shown]";
    }

    /**
     * Where callbacks go: a URL with a path of its own as it is (WeCom calls the URL its admin entered, e.g. a
     * relay's {@code /wecom/kf/<corpid>}), a bare root at its {@value #PATH}.
     */
    static String callbackUrl(String pushUrl) {
        String root = pushUrl.endsWith("/") ? pushUrl.substring(0, pushUrl.length() - 1) : pushUrl;
        String path = URI.create(root).getPath();
        return path == null || path.isEmpty() ? root + PATH : root;
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
