package dev.kefurelay.component.springboot;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Boot's actuator: the component's secret options are masked wherever the actuator shows configuration
 * ({@code /actuator/configprops}, {@code /actuator/env}), also where an application lets it show values
 * ({@code management.endpoint.configprops.show-values=always}), and the environment variables its secrets come from.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public class WeChatKefuSecretsAutoConfiguration {

    @Bean
    public SanitizingFunction weChatKefuSecrets(ObjectProvider<WeChatKefuComponentConfiguration> options) {
        return new WeChatKefuSecrets(WeChatKefuSecrets.catalogSecrets(), options::getIfAvailable);
    }
}
