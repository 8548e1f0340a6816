package dev.kefurelay.component;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.spi.UriParam;

/**
 * The component's WeCom 微信客服 options (group wecom in the catalog): the corps whose kf accounts it sends for, and
 * WeCom's API root. A message with {@code open_kfid} goes to WeCom's {@code kf/send_msg} with its corp's token; all
 * other messages go to WeChat as before. A superclass of {@link WeChatKefuComponentConfiguration} only to keep this
 * concern apart: the options are the component's like the others ({@code camel.component.wechat-kefu.wecom-*}).
 */
public abstract class WeChatKefuWeComOptions extends WeChatKefuPushOptions {

    @UriParam(label = "wecom", description = "The WeCom corp (企业ID, ww…) whose 微信客服 kf accounts the component "
            + "sends for: used when a message with open_kfid names no corpid.")
    private String wecomCorpid;
    @UriParam(label = "wecom,security", secret = true, description = "The secret of the corp's app that may call "
            + "微信客服 (WeCom's gettoken corpsecret).")
    private String wecomSecret;
    @UriParam(label = "wecom,security", secret = true, description = "Further WeCom corps: a map of corpid to the "
            + "secret of its 微信客服 app; a message names its corp in 'corpid'.")
    private Map<String, String> wecomCorps = new LinkedHashMap<>();
    @UriParam(label = "wecom", defaultValue = "https://qyapi.weixin.qq.com", description = "Base URL of the WeCom "
            + "API; several, comma separated, in failover order (the next one only when no connection could be made).")
    private String wecomBaseUrl = "https://qyapi.weixin.qq.com";
    @UriParam(label = "wecom,advanced", description = "WeCom errcodes that mean 'this msgid was used already' (comma "
            + "separated), which the component treats as delivered before. WeCom documents that a reused msgid is "
            + "refused without naming the errcode; an errmsg that names the msgid as existing or duplicated is "
            + "recognised without this option.")
    private String wecomReusedMsgidErrcodes;

    public String getWecomCorpid() {
        return wecomCorpid;
    }

    public void setWecomCorpid(String wecomCorpid) {
        this.wecomCorpid = wecomCorpid;
    }

    public String getWecomSecret() {
        return wecomSecret;
    }

    public void setWecomSecret(String wecomSecret) {
        this.wecomSecret = wecomSecret;
    }

    public Map<String, String> getWecomCorps() {
        return wecomCorps;
    }

    public void setWecomCorps(Map<String, String> wecomCorps) {
        this.wecomCorps = wecomCorps;
    }

    public String getWecomBaseUrl() {
        return wecomBaseUrl;
    }

    public void setWecomBaseUrl(String wecomBaseUrl) {
        this.wecomBaseUrl = wecomBaseUrl;
    }

    public String getWecomReusedMsgidErrcodes() {
        return wecomReusedMsgidErrcodes;
    }

    public void setWecomReusedMsgidErrcodes(String wecomReusedMsgidErrcodes) {
        this.wecomReusedMsgidErrcodes = wecomReusedMsgidErrcodes;
    }
}
