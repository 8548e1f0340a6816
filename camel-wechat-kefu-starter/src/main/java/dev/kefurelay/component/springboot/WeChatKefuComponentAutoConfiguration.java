package dev.kefurelay.component.springboot;

import java.util.HashMap;
import java.util.Map;

import dev.kefurelay.component.WeChatKefuComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.ComponentConfigurationProperties;
import org.apache.camel.spring.boot.util.CamelPropertiesHelper;
import org.apache.camel.spring.boot.util.ConditionalOnCamelContextAndAutoConfigurationBeans;
import org.apache.camel.spring.boot.util.ConditionalOnHierarchicalProperties;
import org.apache.camel.spring.boot.util.HierarchicalPropertiesEvaluator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Lazy;

/**
 * Binds {@code camel.component.wechat-kefu.*} onto the {@code wechat-kefu} component as Camel's starters bind theirs:
 * a {@link ComponentCustomizer} copies every option that is set onto the component when Camel creates it, so the
 * component starts with them (and checks them, naming the key of a wrong one). Off with
 * {@code camel.component.wechat-kefu.enabled=false} (or {@code camel.component.enabled=false}). It starts nothing
 * itself: the component's producer health checks come with Camel's health (see the component's docs).
 */
@AutoConfiguration(after = { CamelAutoConfiguration.class, WeChatKefuComponentConverter.class })
@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)
@EnableConfigurationProperties({ ComponentConfigurationProperties.class, WeChatKefuComponentConfiguration.class })
@ConditionalOnHierarchicalProperties({ "camel.component", "camel.component.wechat-kefu" })
public class WeChatKefuComponentAutoConfiguration {

    @Lazy
    @Bean
    public ComponentCustomizer configureWeChatKefuComponent(ApplicationContext applicationContext,
            CamelContext camelContext, WeChatKefuComponentConfiguration configuration) {
        return new ComponentCustomizer() {
            @Override
            public void configure(String name, Component target) {
                Map<String, Object> options = CamelPropertiesHelper.getNonNullProperties(camelContext, configuration);
                // the starter's own switch, not an option of the component
                options.remove("customizer");
                // the whole options bean first: the options set one by one then land in it, not in the one it replaces
                Object whole = options.remove("configuration");
                if (whole != null) {
                    CamelPropertiesHelper.setCamelProperties(camelContext, target,
                            new HashMap<>(Map.of("configuration", whole)), false);
                }
                CamelPropertiesHelper.setCamelProperties(camelContext, target, options, false);
            }

            @Override
            public boolean isEnabled(String name, Component target) {
                return HierarchicalPropertiesEvaluator.evaluate(applicationContext, "camel.component.customizer",
                        "camel.component.wechat-kefu.customizer") && target instanceof WeChatKefuComponent;
            }
        };
    }
}
