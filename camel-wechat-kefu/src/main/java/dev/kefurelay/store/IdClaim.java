package dev.kefurelay.store;

/** What {@link KefuStore#claimId} decided for one copy of a message id. */
public interface IdClaim {

    enum Verdict {
        /** Send it: the id is claimed (or the message has none); end the claim with delivered or failed. */
        SEND,
        /** Delivered within the window: not sent again. */
        DUPLICATE,
        /** Another copy was still being sent after the id wait: this one cannot know whether to send. */
        GAVE_UP
    }

    Verdict verdict();

    /** The claimed copy was delivered: its id is recorded (durably), copies waiting for it become duplicates. */
    void delivered();

    /** The claimed copy failed: the next copy waiting for it may be sent. No effect when nothing is claimed. */
    void failed();

    /** A claim that holds nothing: a message without id, a duplicate, a copy that gave up. */
    static IdClaim of(Verdict verdict) {
        return new IdClaim() {
            @Override
            public Verdict verdict() {
                return verdict;
            }

            @Override
            public void delivered() {
            }

            @Override
            public void failed() {
            }
        };
    }
}
