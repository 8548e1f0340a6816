package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * What to answer: built by the API handlers, written by the HTTP layer. {@code after} (may be null) runs once the
 * answer is written: what WeChat does only after it answered, such as pushing an event about what it just accepted.
 */
record ApiReply(int status, String contentType, byte[] body, Runnable after) {

    static final String JSON = "application/json; charset=utf-8";

    ApiReply(int status, String contentType, byte[] body) {
        this(status, contentType, body, null);
    }

    /** The same answer, and this to do once it is written. */
    ApiReply then(Runnable next) {
        return new ApiReply(status, contentType, body, next);
    }

    static ApiReply json(ObjectNode node) {
        return new ApiReply(200, JSON, Json.bytes(node));
    }

    static ApiReply ok() {
        return error(0);
    }

    /** WeChat reports refusals with HTTP 200 and an errcode, never with an HTTP status. */
    static ApiReply error(int errcode) {
        return json(errorNode(errcode, null));
    }

    static ApiReply error(ApiException e) {
        return json(errorNode(e.errcode(), e.hint()));
    }

    /** {@code {"errcode","errmsg"}}, the errmsg followed by the hint as WeChat writes it. */
    static ObjectNode errorNode(int errcode, String hint) {
        ObjectNode node = Json.newObject();
        node.put("errcode", errcode);
        node.put("errmsg", hint == null ? ErrorCodes.message(errcode) : ErrorCodes.message(errcode) + " " + hint);
        return node;
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
