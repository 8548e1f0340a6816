package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Where a push path's {appid} is in a request's URI, whatever server and context path serve it. */
class PushPathTest {

    @Test
    void theAppidIsReadFromItsSegmentWithOrWithoutQueryOrContextPath() {
        PushPath path = PushPath.of("/wechat/accounts/{appid}");
        assertTrue(path.namesAppid());
        assertEquals("wx123", path.appid("/wechat/accounts/wx123"));
        assertEquals("wx123", path.appid("/wechat/accounts/wx123?timestamp=1&nonce=2"));
        assertEquals("wx123", path.appid("/camel/wechat/accounts/wx123"), "under a context path");
        assertEquals("wx123", path.appid("/wechat/accounts/wx123/"));
        assertEquals("not an appid", path.appid("/wechat/accounts/not%20an%20appid"), "decoded; the caller checks it");
        assertEquals("", path.appid("/wechat/accounts/%zz"), "a broken escape is no appid");
        assertEquals("", path.appid("/elsewhere/wx123"));
        assertEquals("", path.appid(null));
    }

    @Test
    void otherParametersMatchOneSegmentAndAPathWithoutAppidNamesNone() {
        assertEquals("wx9", PushPath.of("/hooks/{tenant}/wechat/{appid}/in").appid("/hooks/acme/wechat/wx9/in"));
        PushPath fixed = PushPath.of("/hooks/wechat");
        assertFalse(fixed.namesAppid());
        assertEquals("", fixed.appid("/hooks/wechat"));
        assertEquals("", PushPath.of("/a.b/{appid}").appid("/aXb/wx1"), "the template's text is literal");
    }
}
