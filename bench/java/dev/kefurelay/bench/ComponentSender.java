package dev.kefurelay.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kefurelay.component.WeChatKefuComponent;
import dev.kefurelay.component.WeChatKefuComponentConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The component alone, as a Camel application uses it without the relay: {@code wechat-kefu:send} in a plain
 * DefaultCamelContext, its options at their defaults but the accounts, the base URL and the store's folder, the
 * callers' threads handing it the message JSON (with the envelope's appid, as the relay does) through a
 * ProducerTemplate. The endpoint is resolved once, as a route's {@code to} does; the outcome lines are logged as
 * the application's logging says (the benchmark's children: INFO, to their log file).
 */
final class ComponentSender implements PeerClient.Sender {

    /** How a delivered outcome's JSON begins (the channel and anything after it may vary). */
    static final String DELIVERED = "{\"errcode\":0,\"errmsg\":\"ok\"";

    private final CamelContext camel;
    private final ProducerTemplate template;
    private final Endpoint endpoint;
    private final List<String> bodies;

    ComponentSender(String baseUrl, List<String> appids, String uriOptions, Path storeDir, int size) {
        WeChatKefuComponent wechat = new WeChatKefuComponent();
        WeChatKefuComponentConfiguration options = wechat.getConfiguration();
        options.setBaseUrl(baseUrl);
        options.setAppid(appids.get(0));
        options.setSecret("secret-" + appids.get(0));
        Map<String, String> more = new LinkedHashMap<>();
        appids.subList(1, appids.size()).forEach(appid -> more.put(appid, "secret-" + appid));
        options.setAccounts(more);
        options.setStoreDir(storeDir.toAbsolutePath().toString());
        camel = new DefaultCamelContext();
        camel.addComponent("wechat-kefu", wechat);
        camel.start();
        template = camel.createProducerTemplate();
        endpoint = camel.getEndpoint("wechat-kefu:send" + uriOptions);
        List<String> prepared = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            prepared.add(BenchTexts.relayBody(i, appids));
        }
        bodies = prepared;
    }

    @Override
    public boolean send(int i) {
        String outcome = template.requestBody(endpoint, bodies.get(i), String.class);
        return outcome != null && outcome.startsWith(DELIVERED);
    }

    @Override
    public void close() throws Exception {
        camel.close();
    }
}
