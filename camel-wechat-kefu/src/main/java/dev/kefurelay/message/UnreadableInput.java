package dev.kefurelay.message;

/**
 * What an edge hands over in place of a body it could not read, e.g. a JMS message of a type the relay does not
 * take or with a property of the wrong type. The component refuses it as {@code invalid-input} with this reason,
 * like any other bad input: it becomes that message's own outcome, and the edge has never touched the content
 * (an ObjectMessage is never deserialized to find out that it cannot be sent).
 *
 * @param why what is wrong and what to change, e.g. "a JMS StreamMessage cannot be sent: put the message JSON
 *            in a TextMessage or BytesMessage"
 */
public record UnreadableInput(String why) {

    public UnreadableInput {
        if (why == null || why.isBlank()) {
            throw new IllegalArgumentException("an unreadable input needs its reason");
        }
    }
}
