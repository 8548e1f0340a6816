package dev.kefurelay.component;

/**
 * What an endpoint does: {@code wechat-kefu:send} (a message: custom/send, or its fallback outside the user's
 * window), {@code wechat-kefu:typing} (custom/typing), {@code wechat-kefu:interaction} (a push the application
 * received itself, recorded in the window book: a user's message or event that opens their window), or, as a
 * consumer, {@code wechat-kefu:push} (WeChat's pushes, received on the application's HTTP server).
 */
public enum WeChatKefuOperation {
    send,
    typing,
    interaction,
    push
}
