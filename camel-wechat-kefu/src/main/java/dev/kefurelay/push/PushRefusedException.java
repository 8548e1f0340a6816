package dev.kefurelay.push;

/**
 * A push that is not taken: its signature, its encryption, its XML or its freshness is wrong. The text names
 * what is wrong and never quotes a value of the push (it may hold a ticket or an authorization code).
 */
public final class PushRefusedException extends RuntimeException {

    /** What is wrong; {@link #status()} is the HTTP answer, a 4xx: WeChat's retry of the same push cannot pass. */
    public enum Why {
        BAD_SIGNATURE(401),
        BAD_RECEIVE_ID(401),
        UNDECRYPTABLE(400),
        MALFORMED(400),
        TOO_LARGE(413),
        REPLAYED(409),
        STALE(409),
        /** A GET that is no URL verification: it carries a push, or its answer would not be an echostr. */
        NOT_VERIFICATION(400);

        private final int status;

        Why(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Why why;

    public PushRefusedException(Why why, String message) {
        super(message, null, false, false);
        this.why = why;
    }

    public Why why() {
        return why;
    }

    public int status() {
        return why.status();
    }

    @Override
    public String toString() {
        return "PushRefusedException[" + why + ": " + getMessage() + "]";
    }
}
