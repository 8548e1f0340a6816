package dev.kefurelay.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A platform's authorization event read from its fields: its platform checked, its secrets kept out of its text. */
class PlatformEventTest {

    private static Map<String, Object> fields(String xml) {
        return PushXml.parse(xml, PushXml.DEFAULT_MAX_BYTES);
    }

    @Test
    void aTicketEventGivesItsTicketAndPublishesWithoutIt() {
        PlatformEvent e = PlatformEvent.read(fields("<xml><AppId>wxplatform</AppId><CreateTime>1700000000</CreateTime>"
                + "<InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>ticket@@@secret-1"
                + "</ComponentVerifyTicket></xml>"), "wxplatform");
        assertTrue(e.isTicket());
        assertEquals("ticket@@@secret-1", e.ticket());
        assertEquals(Instant.ofEpochSecond(1_700_000_000L), e.createdAt());
        assertFalse(e.toJson().contains("secret-1"), e.toJson());
        assertTrue(e.toJson().contains("\"info_type\":\"component_verify_ticket\""));
        assertFalse(e.toString().contains("secret-1"));
    }

    @Test
    void anAuthorizationNeedsItsAuthorizerAndCode() {
        PlatformEvent e = PlatformEvent.read(fields("<xml><AppId>wxplatform</AppId><CreateTime>1700000001</CreateTime>"
                + "<InfoType>authorized</InfoType><AuthorizerAppid>wxauth</AuthorizerAppid><AuthorizationCode>code-1"
                + "</AuthorizationCode><PreAuthCode>pre-1</PreAuthCode></xml>"), "wxplatform");
        assertTrue(e.isAuthorization());
        assertEquals("wxauth", e.requireAuthorizer());
        assertEquals("code-1", e.authorizationCode());
        assertEquals("push:authorized:wxauth:1700000001", e.dedupeKey());
        assertFalse(e.toJson().contains("code-1") || e.toJson().contains("pre-1"), e.toJson());
        PlatformEvent noCode = PlatformEvent.read(fields("<xml><InfoType>authorized</InfoType><AuthorizerAppid>wxauth"
                + "</AuthorizerAppid></xml>"), "wxplatform");
        assertEquals(PushRefusedException.Why.MALFORMED, assertThrows(PushRefusedException.class,
                noCode::authorizationCode).why());
        PlatformEvent noAuthorizer = PlatformEvent.read(fields("<xml><InfoType>unauthorized</InfoType></xml>"),
                "wxplatform");
        assertThrows(PushRefusedException.class, noAuthorizer::requireAuthorizer);
        assertNull(noAuthorizer.createdAt());
    }

    @Test
    void anotherPlatformsEventIsRefused() {
        PushRefusedException e = assertThrows(PushRefusedException.class, () -> PlatformEvent.read(
                fields("<xml><AppId>wxother</AppId><InfoType>component_verify_ticket</InfoType></xml>"), "wxplatform"));
        assertEquals(PushRefusedException.Why.BAD_RECEIVE_ID, e.why());
    }
}
