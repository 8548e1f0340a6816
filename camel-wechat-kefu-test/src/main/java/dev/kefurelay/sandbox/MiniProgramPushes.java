package dev.kefurelay.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.push.PushCrypto;
import dev.kefurelay.window.Interaction;

/**
 * What WeChat pushes to a Mini Program's message URL, in the form its settings chose: JSON or XML, encrypted (an
 * EncodingAESKey given) or in plaintext. Users' messages and their entering the customer-service session
 * ({@code user_enter_tempsession}); each first opens the user's window in the sandbox, as {@link Pushes} does.
 */
public final class MiniProgramPushes {

    /** The data format of the Mini Program's message push setting (消息推送 数据格式). */
    public enum Format { JSON, XML }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong MSG_IDS = new AtomicLong(7_100_000_000_000_000_000L);

    private final WeChatSandbox sandbox;
    private final Pushes http;
    private final PushCrypto crypto;
    private final String token;
    private final String receiveId;
    private final Format format;

    MiniProgramPushes(WeChatSandbox sandbox, Pushes http, String token, String aesKey, String receiveId, Format format) {
        this.sandbox = sandbox;
        this.http = http;
        this.crypto = new PushCrypto(token, aesKey, null, receiveId, "sandbox push");
        this.token = token;
        this.receiveId = receiveId;
        this.format = format;
    }

    /** A user's text to the Mini Program's customer service, with a new MsgId: 5 messages within 48 hours. */
    public Pushes.Result userText(String appid, String openid, String content) {
        sandbox.users().wrote(appid, openid);
        Map<String, Object> fields = head(appid, openid, "text");
        fields.put("Content", content);
        fields.put("MsgId", MSG_IDS.incrementAndGet());
        return push(appid, fields);
    }

    /** A user's picture ({@code PicUrl}, {@code MediaId}): a message like any other. */
    public Pushes.Result userImage(String appid, String openid, String mediaId) {
        sandbox.users().wrote(appid, openid);
        Map<String, Object> fields = head(appid, openid, "image");
        fields.put("PicUrl", "https://mmbiz.qpic.cn/sandbox/" + mediaId);
        fields.put("MediaId", mediaId);
        fields.put("MsgId", MSG_IDS.incrementAndGet());
        return push(appid, fields);
    }

    /**
     * The user enters the customer-service session (the Mini Program's contact button): {@code Event}
     * user_enter_tempsession with its {@code SessionFrom}; 2 messages within 1 minute.
     */
    public Pushes.Result userEnteredSession(String appid, String openid, String sessionFrom) {
        sandbox.users().interacted(appid, openid, Interaction.ENTER_SESSION);
        Map<String, Object> fields = head(appid, openid, "event");
        fields.put("Event", "user_enter_tempsession");
        fields.put("SessionFrom", sessionFrom == null ? "" : sessionFrom);
        return push(appid, fields);
    }

    private static Map<String, Object> head(String appid, String openid, String msgType) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ToUserName", "gh_" + appid);
        fields.put("FromUserName", openid);
        fields.put("CreateTime", System.currentTimeMillis() / 1000);
        fields.put("MsgType", msgType);
        return fields;
    }

    /** The fields in the configured form, encrypted or signed, POSTed to the Mini Program's message URL. */
    public Pushes.Result push(String appid, Map<String, Object> fields) {
        return push(Pushes.ACCOUNTS_PATH + appid, appid, format == Format.JSON ? json(fields) : xml(fields));
    }

    /** The same push once more, signed anew with a fresh timestamp and nonce: WeChat's retry of it. */
    public Pushes.Result retry(Pushes.Result earlier) {
        return push(earlier.path(), earlier.path().substring(Pushes.ACCOUNTS_PATH.length()), earlier.xml());
    }

    private Pushes.Result push(String path, String appid, String plaintext) {
        String timestamp = String.valueOf(System.currentTimeMillis() / 1000);
        String nonce = UUID.randomUUID().toString().replace("-", "");
        String query = "timestamp=" + timestamp + "&nonce=" + nonce + "&signature="
                + PushCrypto.signature(token, timestamp, nonce);
        String body = plaintext;
        if (crypto.encrypted()) {
            PushCrypto.Encrypted e = crypto.encrypt(plaintext, timestamp, nonce);
            query += "&encrypt_type=aes&msg_signature=" + e.msgSignature();
            body = format == Format.JSON ? e.pushJson("gh_" + appid) : e.pushXml("gh_" + appid);
        }
        Pushes.Result r = http.post(path, query, body);
        return new Pushes.Result(r.status(), r.body(), path, timestamp, nonce, plaintext, query, body);
    }

    private static String json(Map<String, Object> fields) {
        ObjectNode out = JSON.valueToTree(fields);
        return out.toString();
    }

    private static String xml(Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder("<xml>");
        fields.forEach((name, value) -> sb.append('<').append(name).append('>')
                .append(value instanceof Number ? value.toString() : "<![CDATA[" + value + "]]>")
                .append("</").append(name).append('>'));
        return sb.append("</xml>").toString();
    }

    @Override
    public String toString() {
        return "MiniProgramPushes[" + format + ", " + (crypto.encrypted() ? "encrypted" : "plaintext") + ", receive id "
                + receiveId + "]";
    }
}
