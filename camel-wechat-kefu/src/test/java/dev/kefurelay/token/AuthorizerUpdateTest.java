package dev.kefurelay.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import dev.kefurelay.message.InvalidMessageException;
import org.junit.jupiter.api.Test;

/** The three forms of an authorizer update, as JSON both ways; texts never hold a token or code. */
class AuthorizerUpdateTest {

    @Test
    void eachFormReadsBackAsWritten() {
        AuthorizerUpdate code = AuthorizerUpdate.authorized("wxa", "code@@@1");
        assertEquals(code, AuthorizerUpdate.parse(code.toJson()));
        AuthorizerUpdate gone = AuthorizerUpdate.withdrawn("wxa", Instant.ofEpochMilli(1_700_000_000_000L));
        assertEquals(gone, AuthorizerUpdate.parse(gone.toJson()));
        AuthorizerUpdate token = AuthorizerUpdate.parse(" {\"authorizer_appid\":\" wxa \",\"authorizer_refresh_token\":"
                + "\"refreshtoken@@@1 \"}");
        assertEquals(new AuthorizerUpdate("wxa", "refreshtoken@@@1", null, null), token);
        assertFalse(code.toString().contains("code@@@1") || token.toString().contains("refreshtoken@@@1"));
    }

    @Test
    void anythingElseIsInvalidInputThatQuotesNothing() {
        InvalidMessageException notJson = assertThrows(InvalidMessageException.class,
                () -> AuthorizerUpdate.parse("{\"authorizer_refresh_token\":\"secret@@@x\""));
        assertFalse(notJson.getMessage().contains("secret@@@x"));
        InvalidMessageException noToken = assertThrows(InvalidMessageException.class,
                () -> AuthorizerUpdate.parse("{\"authorizer_appid\":\"wxa\"}"));
        assertTrue(noToken.getMessage().contains("authorizer_refresh_token"), noToken.getMessage());
    }
}
