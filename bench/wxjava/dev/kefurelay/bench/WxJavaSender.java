package dev.kefurelay.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import me.chanjar.weixin.common.util.http.apache.DefaultApacheHttpClientBuilder;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.api.impl.WxMpServiceImpl;
import me.chanjar.weixin.mp.bean.kefu.WxMpKefuMessage;
import me.chanjar.weixin.mp.config.WxMpConfigStorage;
import me.chanjar.weixin.mp.config.WxMpHostConfig;
import me.chanjar.weixin.mp.config.impl.WxMpDefaultConfigImpl;

/**
 * What a Java team would use instead of kefu-relay: WxJava's {@code WxMpKefuService.sendKefuMessage}, one
 * WxMpService for all accounts (WxJava's multi-account setup, {@code switchoverTo} per message), its in-memory
 * token storage, and its Apache HttpClient 4 pool either at WxJava's defaults (10 connections per host, 50 in all)
 * or raised to {@code connections}. Compiled only with the bench profile, which alone has WxJava.
 */
final class WxJavaSender implements PeerClient.Sender {

    private final WxMpService service = new WxMpServiceImpl();
    private final List<String> appids;
    /** Messages 0..size-1 as a caller has them before it builds WxJava's message: recipient and text. */
    private final List<String> users = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();

    /** @param connections the pool's connections per host and in all; 0: WxJava's defaults */
    WxJavaSender(String baseUrl, List<String> appids, int connections, int size) {
        this.appids = appids;
        for (int i = 0; i < size; i++) {
            users.add(BenchTexts.touser(i));
            texts.add(BenchTexts.content(i));
        }
        if (connections > 0) {
            // the builder WxJava uses when the configuration names none (one per JVM, this process's alone)
            DefaultApacheHttpClientBuilder pool = DefaultApacheHttpClientBuilder.get();
            pool.setMaxConnPerHost(connections);
            pool.setMaxTotalConn(connections);
        }
        Map<String, WxMpConfigStorage> configs = new LinkedHashMap<>();
        for (String appid : appids) {
            WxMpDefaultConfigImpl config = new WxMpDefaultConfigImpl();
            config.setAppId(appid);
            config.setSecret("secret-" + appid);
            config.setHostConfig(new WxMpHostConfig(baseUrl, baseUrl, baseUrl));
            configs.put(appid, config);
        }
        service.setMultiConfigStorages(configs);
    }

    @Override
    public boolean send(int i) throws Exception {
        return service.switchoverTo(appids.get(BenchTexts.accountOf(i, appids.size()))).getKefuService()
                .sendKefuMessage(WxMpKefuMessage.TEXT().toUser(users.get(i)).content(texts.get(i)).build());
    }
}
