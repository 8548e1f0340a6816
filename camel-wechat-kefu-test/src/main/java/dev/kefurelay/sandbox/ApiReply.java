package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** What to answer: built by the API handlers, written by the HTTP layer. */
record ApiReply(int status, String contentType, byte[] body) {

    static final String JSON = "application/json; charset=utf-8";

    static ApiReply json(ObjectNode node) {
        return new ApiReply(200, JSON, Json.bytes(node));
    }

    static ApiReply ok() {
        return error(0);
    }

    /** WeChat reports refusals with HTTP 200 and an errcode, never with an HTTP status. */
    static ApiReply error(int errcode) {
        ObjectNode node = Json.newObject();
        node.put("errcode", errcode);
        node.put("errmsg", ErrorCodes.message(errcode));
        return json(node);
    }

    /** A gateway-level failure: not JSON, as a proxy in front of WeChat would answer. */
    static ApiReply http(int status) {
        return new ApiReply(status, "text/plain; charset=utf-8",
                ("sandbox: injected HTTP " + status).getBytes(StandardCharsets.UTF_8));
    }

    static ApiReply notFound() {
        return new ApiReply(404, null, new byte[0]);
    }
}
