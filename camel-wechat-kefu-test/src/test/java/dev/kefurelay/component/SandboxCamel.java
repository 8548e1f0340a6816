package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Consumer;

import dev.kefurelay.testkit.WeChatKefuSandboxExtension;
import dev.kefurelay.wechat.SendFailedException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A plain DefaultCamelContext with only {@code wechat-kefu}, pointed at the test kit's sandbox (its demo account and
 * WeCom corp, quick retries, a fresh store folder), which a test starts with the options it needs and which is closed
 * after it. Register it on an instance field beside the class's sandbox:
 * <pre>
 * &#64;RegisterExtension
 * static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension();
 * &#64;RegisterExtension
 * final SandboxCamel camel = new SandboxCamel(wechat);
 * </pre>
 */
final class SandboxCamel implements AfterEachCallback {

    private final WeChatKefuSandboxExtension wechat;
    private CamelContext context;
    private WeChatKefuComponent component;
    private ProducerTemplate template;

    SandboxCamel(WeChatKefuSandboxExtension wechat) {
        this.wechat = wechat;
    }

    /** Starts the context, its component pointed at the sandbox and then set by {@code more}. */
    ProducerTemplate start(Consumer<WeChatKefuComponentConfiguration> more) {
        context = new DefaultCamelContext();
        component = wechat.configure(context);
        more.accept(component.getConfiguration());
        context.start();
        template = context.createProducerTemplate();
        return template;
    }

    ProducerTemplate start() {
        return start(o -> { });
    }

    WeChatKefuComponent component() {
        return component;
    }

    ProducerTemplate template() {
        return template;
    }

    /** The failure that a send of {@code body} on the started context ends with, as the route's caller sees it. */
    SendFailedException failure(String body) {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("wechat-kefu:send", body, String.class));
        return assertInstanceOf(SendFailedException.class, e.getCause());
    }

    @Override
    public void afterEach(ExtensionContext extension) throws Exception {
        if (context != null) {
            context.close();
            context = null;
        }
    }
}
