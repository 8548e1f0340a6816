package dev.kefurelay.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import dev.kefurelay.push.PushCrypto;

/**
 * The sandbox's side of WeChat's pushes: the XML WeChat POSTs to a platform's authorization event URL
 * ({@code /wechat/component}) and to an account's message URL ({@code /wechat/accounts/{appid}}), encrypted
 * with the same {@link PushCrypto} the relay decrypts with, signed, with a fresh timestamp and nonce each.
 */
public final class Pushes {

    public static final String COMPONENT_PATH = "/wechat/component";
    public static final String ACCOUNTS_PATH = "/wechat/accounts/";

    /**
     * What the relay answered, and what was pushed (to push the very same again: a replay, or WeChat's retry):
     * {@code xml} the plaintext, {@code query} and {@code sent} the request's query and body as they went over
     * the wire (what someone recording the traffic holds).
     */
    public record Result(int status, String body, String path, String timestamp, String nonce, String xml,
            String query, String sent) {
        public boolean success() {
            return status == 200 && "success".equals(body);
        }
    }

    private static final AtomicLong MSG_IDS = new AtomicLong(7_000_000_000_000_000_000L);

    private final WeChatSandbox sandbox;
    private final String pushUrl;
    private final PushCrypto crypto;
    private final String token;
    private final String appid;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Pushes(WeChatSandbox sandbox, String pushUrl, String token, String aesKey, String appid) {
        this.sandbox = sandbox;
        this.pushUrl = pushUrl.endsWith("/") ? pushUrl.substring(0, pushUrl.length() - 1) : pushUrl;
        this.crypto = new PushCrypto(token, aesKey, null, appid, "sandbox push");
        this.token = token;
        this.appid = appid;
    }

    /** A new component_verify_ticket: from now on the sandbox's api_component_token takes only this one. */
    public Result verifyTicket(String ticket) {
        sandbox.verifyTicket(ticket);
        return push(COMPONENT_PATH, "<xml><AppId><![CDATA[" + appid + "]]></AppId><CreateTime>" + now()
                + "</CreateTime><InfoType><![CDATA[component_verify_ticket]]></InfoType><ComponentVerifyTicket><![CDATA["
                + ticket + "]]></ComponentVerifyTicket></xml>");
    }

    /** The account authorizes the platform; WeChat pushes {@code authorized} with a one-time code. */
    public Result authorized(String authorizerAppid) {
        return authorization("authorized", authorizerAppid);
    }

    /** The account changes what it granted; WeChat pushes {@code updateauthorized} with a new code. */
    public Result updateAuthorized(String authorizerAppid) {
        return authorization("updateauthorized", authorizerAppid);
    }

    private Result authorization(String infoType, String authorizerAppid) {
        String code = sandbox.authorizationCode(authorizerAppid);
        long now = now();
        return push(COMPONENT_PATH, "<xml><AppId><![CDATA[" + appid + "]]></AppId><CreateTime>" + now
                + "</CreateTime><InfoType><![CDATA[" + infoType + "]]></InfoType><AuthorizerAppid><![CDATA["
                + authorizerAppid + "]]></AuthorizerAppid><AuthorizationCode><![CDATA[" + code
                + "]]></AuthorizationCode><AuthorizationCodeExpiredTime>" + (now + 3600)
                + "</AuthorizationCodeExpiredTime><PreAuthCode><![CDATA[preauthcode@@@" + UUID.randomUUID()
                + "]]></PreAuthCode></xml>");
    }

    /** The account withdraws its authorization; WeChat pushes {@code unauthorized}. */
    public Result unauthorized(String authorizerAppid) {
        sandbox.withdrawAuthorization(authorizerAppid);
        return push(COMPONENT_PATH, "<xml><AppId><![CDATA[" + appid + "]]></AppId><CreateTime>" + now()
                + "</CreateTime><InfoType><![CDATA[unauthorized]]></InfoType><AuthorizerAppid><![CDATA["
                + authorizerAppid + "]]></AuthorizerAppid></xml>");
    }

    /** A user's text message to an account (an authorizer in component mode), with a new MsgId. */
    public Result userText(String accountAppid, String openid, String content) {
        return push(ACCOUNTS_PATH + accountAppid, "<xml><ToUserName><![CDATA[gh_" + accountAppid
                + "]]></ToUserName><FromUserName><![CDATA[" + openid + "]]></FromUserName><CreateTime>" + now()
                + "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" + content
                + "]]></Content><MsgId>" + MSG_IDS.incrementAndGet() + "</MsgId></xml>");
    }

    /** Encrypts and POSTs this plaintext XML with a fresh timestamp and nonce. */
    public Result push(String path, String plaintextXml) {
        return push(path, plaintextXml, String.valueOf(now()), UUID.randomUUID().toString().replace("-", ""));
    }

    public Result push(String path, String plaintextXml, String timestamp, String nonce) {
        PushCrypto.Encrypted e = crypto.encrypt(plaintextXml, timestamp, nonce);
        String query = "timestamp=" + timestamp + "&nonce=" + nonce + "&encrypt_type=aes&msg_signature="
                + e.msgSignature() + "&signature=" + PushCrypto.signature(token, timestamp, nonce);
        return post(path, query, e.pushXml(appid), timestamp, nonce, plaintextXml);
    }

    /** The very same request once more: what WeChat's retry, or someone who recorded it, sends. */
    public Result again(Result earlier) {
        return push(earlier.path(), earlier.xml(), earlier.timestamp(), earlier.nonce());
    }

    /** A raw POST with the given query and body, for pushes a test builds by hand (bad signatures, XXE). */
    public Result post(String path, String query, String body) {
        return post(path, query, body, null, null, null);
    }

    /**
     * WeChat's URL verification, as a GET with a fresh timestamp and nonce: the Official Account form
     * ({@code signature} over token, timestamp and nonce; the relay echoes {@code echostr}) or, {@code encrypted},
     * the safe form ({@code echostr} encrypted and signed in {@code msg_signature}; the relay answers it decrypted).
     */
    public Result verifyUrl(String path, String echostr, boolean encrypted) {
        return verifyUrl(path, echostr, encrypted, String.valueOf(now()), UUID.randomUUID().toString().replace("-", ""));
    }

    public Result verifyUrl(String path, String echostr, boolean encrypted, String timestamp, String nonce) {
        String query = "timestamp=" + timestamp + "&nonce=" + nonce;
        if (encrypted) {
            PushCrypto.Encrypted e = crypto.encrypt(echostr, timestamp, nonce);
            query += "&msg_signature=" + e.msgSignature() + "&echostr=" + q(e.encrypt());
        } else {
            query += "&signature=" + PushCrypto.signature(token, timestamp, nonce) + "&echostr=" + q(echostr);
        }
        return get(path, query);
    }

    /** A raw GET with the given query (and no body), for verifications a test builds by hand. */
    public Result get(String path, String query) {
        return send(HttpRequest.newBuilder(URI.create(pushUrl + path + "?" + query)).GET(), path, query, null, null,
                null, null);
    }

    private Result post(String path, String query, String body, String timestamp, String nonce, String xml) {
        return send(HttpRequest.newBuilder(URI.create(pushUrl + path + "?" + query))
                .header("Content-Type", "text/xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)), path, query, body, timestamp,
                nonce, xml);
    }

    private Result send(HttpRequest.Builder builder, String path, String query, String body, String timestamp,
            String nonce, String xml) {
        HttpRequest request = builder.timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Result(response.statusCode(), response.body(), path, timestamp, nonce, xml, query, body);
        } catch (IOException e) {
            throw new UncheckedIOException("push to " + pushUrl + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** URL-encodes a query value. */
    public static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
