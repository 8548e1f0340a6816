package dev.kefurelay.component;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How an endpoint reports a message that was not delivered (the endpoint option {@code failure}). */
public enum FailureMode {
    /** The exchange fails with a typed SendFailedException (reason, errcode, errmsg). */
    EXCEPTION("exception"),
    /** The exchange goes on with the outcome JSON as body and the Kefu* headers. */
    OUTCOME("outcome");

    private final String wireName;

    FailureMode(String wireName) {
        this.wireName = wireName;
    }

    /** As the option is written: {@code exception}, {@code outcome}. */
    public String wireName() {
        return wireName;
    }

    public static FailureMode parse(String value) {
        for (FailureMode f : values()) {
            if (f.wireName.equals(value)) {
                return f;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of "
                + Arrays.stream(values()).map(FailureMode::wireName).collect(Collectors.joining(", ")));
    }
}
