package dev.kefurelay.sandbox;

import dev.kefurelay.window.Interaction;
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
    private final String aesKey;
    private final String appid;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Pushes(WeChatSandbox sandbox, String pushUrl, String token, String aesKey, String appid) {
        this.sandbox = sandbox;
        this.pushUrl = pushUrl.endsWith("/") ? pushUrl.substring(0, pushUrl.length() - 1) : pushUrl;
        this.crypto = new PushCrypto(token, aesKey, null, appid, "sandbox push");
        this.token = token;
        this.aesKey = aesKey;
        this.appid = appid;
    }

    /**
     * A Mini Program's pushes with the same keys and receive id, in JSON or XML (encrypted when there is an
     * EncodingAESKey, else in plaintext): what its message URL gets when its users write or enter the session.
     */
    public MiniProgramPushes miniProgram(MiniProgramPushes.Format format) {
        return new MiniProgramPushes(sandbox, this, token, aesKey, appid, format);
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

    /**
     * A user's text message to an account (an authorizer in component mode), with a new MsgId. Like every push of a
     * user's message or event here, it first opens the user's window in the sandbox (5 messages within 48 hours), so
     * that the relay it reaches and the sandbox see the same world.
     */
    public Result userText(String accountAppid, String openid, String content) {
        sandbox.users().wrote(accountAppid, openid);
        return push(ACCOUNTS_PATH + accountAppid, "<xml><ToUserName><![CDATA[gh_" + accountAppid
                + "]]></ToUserName><FromUserName><![CDATA[" + openid + "]]></FromUserName><CreateTime>" + now()
                + "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" + content
                + "]]></Content><MsgId>" + MSG_IDS.incrementAndGet() + "</MsgId></xml>");
    }

    /** A menu click ({@code Event} CLICK with this {@code EventKey}): opens 3 messages within 1 minute. */
    public Result userClicked(String accountAppid, String openid, String menuKey) {
        return userEvent(accountAppid, openid, "CLICK", menuKey);
    }

    /** The user follows the account ({@code Event} subscribe): opens 3 messages within 1 minute. */
    public Result userFollowed(String accountAppid, String openid) {
        return userEvent(accountAppid, openid, "subscribe", null);
    }

    /** The user, following already, scans a QR code ({@code Event} SCAN, the scene as {@code EventKey}). */
    public Result userScanned(String accountAppid, String openid, String scene) {
        return userEvent(accountAppid, openid, "SCAN", scene);
    }

    /** The user unfollows ({@code Event} unsubscribe): the window closes, template messages answer 43004. */
    public Result userUnfollowed(String accountAppid, String openid) {
        return userEvent(accountAppid, openid, "unsubscribe", null);
    }

    /**
     * A user's event to an account, after the sandbox applied it to the user's window: the events of WeChat's window
     * table open one ({@link Interaction#ofEvent}), {@code unsubscribe} closes it, others change nothing.
     */
    public Result userEvent(String accountAppid, String openid, String event, String eventKey) {
        sandbox.users().event(accountAppid, openid, event);
        return push(ACCOUNTS_PATH + accountAppid, "<xml><ToUserName><![CDATA[gh_" + accountAppid
                + "]]></ToUserName><FromUserName><![CDATA[" + openid + "]]></FromUserName><CreateTime>" + now()
                + "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[" + event + "]]></Event>"
                + (eventKey == null ? "" : "<EventKey><![CDATA[" + eventKey + "]]></EventKey>") + "</xml>");
    }

    /**
     * WeChat's report on a template message's delivery: {@code TEMPLATESENDJOBFINISH} with its {@code MsgID} and
     * {@code Status} ({@code success}, {@code failed:user block}, {@code failed: system failed}).
     */
    public Result templateJobFinished(String accountAppid, String openid, long msgid, String status) {
        return push(ACCOUNTS_PATH + accountAppid, "<xml><ToUserName><![CDATA[gh_" + accountAppid
                + "]]></ToUserName><FromUserName><![CDATA[" + openid + "]]></FromUserName><CreateTime>" + now()
                + "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event>"
                + "<MsgID>" + msgid + "</MsgID><Status><![CDATA[" + status + "]]></Status></xml>");
    }

    /**
     * The pushes of one account of a relay that serves several: WeChat encrypts an account's pushes with that
     * account's appid as receive id, a third-party platform's with the platform's (then this one serves them all).
     */
    public Pushes to(String accountAppid) {
        return sandbox.isPlatform(appid) || appid.equals(accountAppid) ? this
                : new Pushes(sandbox, pushUrl, token, aesKey, accountAppid);
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
