package dev.kefurelay.token;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

import dev.kefurelay.wechat.ErrorPolicy;
import dev.kefurelay.wechat.WeChatReply;

/**
 * A call to WeChat (or WeCom) with an account's token, the one place for the rule every call with a token follows
 * (the send paths, WeCom's pulls): on 40001/40014/42001 the token is dropped (only if still cached) and the call
 * made once more with a new one.
 */
public final class TokenCalls {

    private TokenCalls() {
    }

    /**
     * The call blocks, so it runs on {@code calls} when the token was there already, else on {@code pool}: a token
     * that had to be fetched completes on the fetcher's thread, and every caller that waited for it would go on
     * there, one after another (64 consumers at a relay's first message, or after a 40001).
     */
    public static CompletableFuture<WeChatReply> authorized(TokenCache tokens, String account,
            Function<AccessToken, WeChatReply> call, Executor calls, Executor pool) {
        CompletableFuture<AccessToken> first = tokens.getAsync(account);
        return withToken(first, call, calls, pool).thenCompose(reply -> {
            if (!rejected(tokens, account, first.join(), reply)) {
                return CompletableFuture.completedFuture(reply);
            }
            return withToken(tokens.getAsync(account), call, calls, pool);
        });
    }

    /**
     * The same rule on the caller's thread, for callers that block anyway (a pull of WeCom messages runs on a
     * thread of its own): the account's token, the call, and on a rejected token once more with a new one.
     */
    public static WeChatReply authorized(TokenCache tokens, String account, Function<AccessToken, WeChatReply> call) {
        AccessToken first = tokens.get(account);
        WeChatReply reply = call.apply(first);
        if (!rejected(tokens, account, first, reply)) {
            return reply;
        }
        return call.apply(tokens.get(account));
    }

    /** Whether the reply rejects the token; if so it is dropped, unless another caller has replaced it already. */
    private static boolean rejected(TokenCache tokens, String account, AccessToken used, WeChatReply reply) {
        if (ErrorPolicy.verdict(reply) != ErrorPolicy.Verdict.TOKEN_REJECTED) {
            return false;
        }
        tokens.reject(account, used);
        return true;
    }

    private static CompletableFuture<WeChatReply> withToken(CompletableFuture<AccessToken> token,
            Function<AccessToken, WeChatReply> call, Executor calls, Executor pool) {
        Executor where = token.isDone() ? calls : pool;
        return token.thenCompose(t -> CompletableFuture.supplyAsync(() -> call.apply(t), where));
    }

    /** The query that carries the token; never logged (WeChatClient names only the path). */
    public static String query(AccessToken token) {
        return "access_token=" + URLEncoder.encode(token.value(), StandardCharsets.UTF_8);
    }

    /** The failure inside a future's CompletionException wrappers. */
    public static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
