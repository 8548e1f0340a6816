package dev.kefurelay.wechat;

import java.io.IOException;
import java.io.InputStream;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * The step of HttpClient's chain that stands where its ProtocolExec does: reads the answer whole and hands the
 * connection back to the pool, and nothing else. ProtocolExec's work is HTTP authentication (challenges, an auth
 * state per request), which the WeChat API never asks for: its credentials are the token in the query. It took a
 * fifth of the client's CPU a call on the benchmark, most of it parsing the request's path and query (the token
 * percent-decoded) to find the scope an authentication would have. WeChat's answers are small JSON documents, so
 * reading them whole here costs nothing more than the caller reading them.
 *
 * <p>A failure anywhere, reading the answer too, discards the connection, as ProtocolExec did; the steps after this
 * one (connecting, sending and receiving) already set whether the connection may be kept, and for how long
 * ({@link IdleConnections}).
 */
final class AnswerExec implements ExecChainHandler {

    static final AnswerExec INSTANCE = new AnswerExec();

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        try {
            ClassicHttpResponse response = chain.proceed(request, scope);
            HttpEntity entity = response.getEntity();
            if (entity != null && entity.isStreaming()) {
                // only its bytes are read (WeChatClient.parse): its content type is not parsed for nothing
                response.setEntity(new Answer(read(entity)));
            }
            scope.execRuntime.releaseEndpoint();
            return response;
        } catch (IOException | HttpException | RuntimeException e) {
            scope.execRuntime.discardEndpoint();
            throw e;
        }
    }

    /** The bytes of an answer read here, as they are; any other entity's read whole. */
    static byte[] bytes(HttpEntity entity) throws IOException {
        return entity instanceof Answer answer ? answer.bytes : read(entity);
    }

    /**
     * Reads the entity whole: exactly its length when it has one, as WeChat's answers do. EntityUtils.toByteArray
     * would take a 4 KB buffer and copy the answer twice for the 27 bytes of {@code {"errcode":0,"errmsg":"ok"}}.
     */
    private static byte[] read(HttpEntity entity) throws IOException {
        try (InputStream in = entity.getContent()) {
            if (in == null) {
                return new byte[0];
            }
            long length = entity.getContentLength();
            return length >= 0 && length <= Integer.MAX_VALUE ? in.readNBytes((int) length) : in.readAllBytes();
        }
    }

    /** An answer read whole, its bytes at hand for the caller without another copy. */
    private static final class Answer extends ByteArrayEntity {

        private final byte[] bytes;

        Answer(byte[] bytes) {
            super(bytes, null);
            this.bytes = bytes;
        }
    }
}
