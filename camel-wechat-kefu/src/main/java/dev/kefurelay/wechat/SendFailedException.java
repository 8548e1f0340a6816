package dev.kefurelay.wechat;

/**
 * A message that cannot be delivered, with the contract's reason and WeChat's errcode/errmsg when WeChat
 * gave them. Texts never carry a token, secret or ticket: they are built from WeChat's errmsg and our own
 * words only.
 */
public class SendFailedException extends RuntimeException {

    private final Reason reason;
    private final Integer errcode;

    public SendFailedException(Reason reason, Integer errcode, String errmsg) {
        super(errmsg, null, false, false);
        this.reason = reason;
        this.errcode = errcode;
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
        return getClass().getSimpleName() + "[" + reason + (errcode == null ? "" : " " + errcode) + ": "
                + getMessage() + "]";
    }
}
