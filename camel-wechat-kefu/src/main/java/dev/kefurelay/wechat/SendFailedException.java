package dev.kefurelay.wechat;

/**
 * A message that cannot be delivered, with the contract's reason and WeChat's errcode/errmsg when WeChat
 * gave them. Texts never carry a token, secret or ticket: they are built from WeChat's errmsg and our own
 * words only.
 */
public class SendFailedException extends RuntimeException {

    private final Reason reason;
    private final Integer errcode;
    private final Channel channel;

    public SendFailedException(Reason reason, Integer errcode, String errmsg) {
        this(reason, errcode, errmsg, null);
    }

    public SendFailedException(Reason reason, Integer errcode, String errmsg, Channel channel) {
        super(errmsg, null, false, false);
        this.reason = reason;
        this.errcode = errcode;
        this.channel = channel;
    }

    /**
     * This failure as the outcome of a message on {@code channel}: the same reason, errcode and text. A failure that
     * already names its channel keeps it (a fallback's failure stays the fallback's).
     */
    public SendFailedException on(Channel on) {
        return channel != null || on == null ? this : new SendFailedException(reason, errcode, getMessage(), on);
    }

    /** The channel the message failed on; null when it failed before one was chosen (e.g. invalid input). */
    public Channel channel() {
        return channel;
    }

    public Reason reason() {
        return reason;
    }

    public Integer errcode() {
        return errcode;
    }

    public String errmsg() {
        return getMessage();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + reason + (errcode == null ? "" : " " + errcode)
                + (channel == null ? "" : " " + channel) + ": "
                + getMessage() + "]";
    }
}
