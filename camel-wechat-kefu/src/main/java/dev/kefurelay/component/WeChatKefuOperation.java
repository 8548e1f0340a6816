package dev.kefurelay.component;

/** What an endpoint does: {@code wechat-kefu:send} (custom/send) or {@code wechat-kefu:typing} (custom/typing). */
public enum WeChatKefuOperation {
    send,
    typing
}
