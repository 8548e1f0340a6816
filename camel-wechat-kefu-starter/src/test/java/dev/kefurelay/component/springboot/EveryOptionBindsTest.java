package dev.kefurelay.component.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.kefurelay.component.WeChatKefuComponent;
import dev.kefurelay.component.WeChatKefuComponentConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every option of the component's catalog, set as {@code camel.component.wechat-kefu.<key>} the way Spring Boot
 * reads {@code application.properties}, reaches the component: a value of each option's type that is not its
 * default, a map entry for the maps, a {@code #bean:} reference for the options that take a bean. A new option of a
 * type this test cannot make a value for fails here until it can.
 */
class EveryOptionBindsTest {

    /** Camel and the starter, and no route: the test's values are for binding, not for sending (see created). */
    private final ApplicationContextRunner app = new ApplicationContextRunner().withConfiguration(AutoConfigurations
            .of(CamelAutoConfiguration.class, WeChatKefuComponentConverter.class,
                    WeChatKefuComponentAutoConfiguration.class))
            .withPropertyValues("camel.main.routes-collector-enabled=false");

    /** One option set: the property lines, and what the component must then hold. */
    private record Setting(Catalog.Option option, Map<String, String> properties, Object expected) {
    }

    @Test
    void everyOptionOfTheCatalogReachesTheComponent() {
        List<Setting> settings = new ArrayList<>();
        Catalog.load().options().forEach(o -> settings.add(setting(o)));
        Map<String, Object> beans = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        for (Setting s : settings) {
            if (s.option().isComplex()) {
                beans.put(beanName(s.option()), s.expected());
            }
            s.properties().forEach((key, value) -> lines.add(key + "=" + value));
        }
        ApplicationContextRunner runner = app.withPropertyValues(lines.toArray(String[]::new));
        for (Map.Entry<String, Object> bean : beans.entrySet()) {
            runner = withBean(runner, bean.getKey(), bean.getValue());
        }
        runner.run(context -> {
            WeChatKefuComponent component = created(context.getBean(CamelContext.class));
            PropertyConfigurerGetter options = (PropertyConfigurerGetter) component.getComponentPropertyConfigurer();
            for (Setting s : settings) {
                Object actual = options.getOptionValue(component, s.option().name(), false);
                if (s.option().isComplex()) {
                    assertSame(s.expected(), actual, s.option().name());
                } else {
                    assertEquals(s.expected(), actual, s.option().name());
                }
            }
            // the options bean went in first: the options set one by one landed in it
            assertSame(beans.get(beanName(option("configuration"))), component.getConfiguration());
        });
    }

    @Test
    void offWithItsEnabledKeyTheComponentKeepsItsDefaults() {
        app.withPropertyValues(Catalog.PREFIX + "enabled=false", Catalog.PREFIX + "appid=wxnotbound00000001")
                .run(context -> {
                    WeChatKefuComponent component = created(context.getBean(CamelContext.class));
                    assertEquals(null, component.getConfiguration().getAppid());
                });
    }

    /** The component as Camel creates it for a route, not started (these values are for binding, not sending). */
    private static WeChatKefuComponent created(CamelContext camel) {
        return (WeChatKefuComponent) camel.getComponent("wechat-kefu", true, false);
    }

    /** A value of the option's type other than its default, as a property line, and as the component holds it. */
    private static Setting setting(Catalog.Option o) {
        String key = Catalog.PREFIX + o.key();
        if (!o.enums().isEmpty()) {
            String value = o.enums().stream().filter(v -> !v.equals(o.defaultValue())).findFirst().orElseThrow();
            return new Setting(o, Map.of(key, value), enumConstant(o, value));
        }
        if (o.isMap()) {
            return new Setting(o, Map.of(key + ".wxbind00000001", "entry-of-" + o.name()),
                    Map.of("wxbind00000001", "entry-of-" + o.name()));
        }
        if (o.isComplex()) {
            return new Setting(o, Map.of(key, "#bean:" + beanName(o)), instance(o.javaType()));
        }
        return switch (o.javaType()) {
            case "java.lang.String" -> new Setting(o, Map.of(key, "value-of-" + o.name()), "value-of-" + o.name());
            case "boolean" -> {
                boolean value = !"true".equals(o.defaultValue());
                yield new Setting(o, Map.of(key, String.valueOf(value)), value);
            }
            case "int" -> new Setting(o, Map.of(key, "7"), 7);
            case "long" -> new Setting(o, Map.of(key, "123457"), 123457L);
            case "java.time.Duration" -> new Setting(o, Map.of(key, "7s"), Duration.ofSeconds(7));
            default -> throw new AssertionError("no value to set for " + o.name() + " of type " + o.javaType()
                    + ": teach EveryOptionBindsTest this type");
        };
    }

    private static Object enumConstant(Catalog.Option o, String value) {
        Object constant = null;
        try {
            for (Object c : Class.forName(o.javaType()).getEnumConstants()) {
                if (((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-').equals(value)) {
                    constant = c;
                }
            }
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
        assertNotEquals(null, constant, o.name() + ": no constant reads as " + value);
        return constant;
    }

    /** An instance of the option's type: the options bean itself, or a do-nothing proxy of an interface. */
    private static Object instance(String javaType) {
        if (javaType.equals(WeChatKefuComponentConfiguration.class.getName())) {
            return new WeChatKefuComponentConfiguration();
        }
        try {
            Class<?> type = Class.forName(javaType);
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
                    (proxy, method, args) -> switch (method.getName()) {
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "toString" -> "test " + type.getSimpleName();
                        default -> null;
                    });
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static String beanName(Catalog.Option o) {
        return "test-" + o.key();
    }

    private static Catalog.Option option(String name) {
        return Catalog.load().options().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static ApplicationContextRunner withBean(ApplicationContextRunner runner, String name, Object bean) {
        Class type = bean instanceof Proxy ? bean.getClass().getInterfaces()[0] : bean.getClass();
        return runner.withBean(name, type, () -> bean);
    }
}
