package dev.kefurelay.wechat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** One HTTP answer from the WeChat API: its status and its JSON body (MissingNode when it had none). */
public record WeChatReply(int status, JsonNode body) {

    public WeChatReply {
        body = body == null ? MissingNode.getInstance() : body;
    }

    /** WeChat's errcode; a 200 answer without one (a token reply) counts as 0. */
    public int errcode() {
        return body.path("errcode").asInt(0);
    }

    public String errmsg() {
        return body.path("errmsg").asText(status == 200 ? "ok" : "HTTP " + status);
    }

    public String text(String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    public long number(String field, long fallback) {
        return body.path(field).asLong(fallback);
    }

    /** Deliberately leaves the body out: token replies carry secrets. */
    @Override
    public String toString() {
        return "WeChatReply[status=" + status + ", errcode=" + errcode() + "]";
    }
}
