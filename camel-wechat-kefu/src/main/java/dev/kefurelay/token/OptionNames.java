package dev.kefurelay.token;

/**
 * How the application that hosts the component spells the component's options, for messages that tell an operator
 * which one to set: a Camel application sets {@code camel.component.wechat-kefu.appid}, an application that maps its
 * own keys onto the component (kefu-relay's {@code kefu.appid}) names those, since they are what its operator can
 * set.
 */
@FunctionalInterface
public interface OptionNames {

    /** The component's own names, as camel-main binds them. */
    OptionNames CAMEL = (option, appid) -> "camel.component.wechat-kefu." + option
            + (appid == null ? "" : "[" + appid + "]");

    /**
     * @param option the component's option in kebab case ({@code appid}, {@code secret}, {@code accounts},
     *               {@code component-appid}, {@code component-secret}, {@code authorizers}, {@code token-mode},
     *               {@code base-url}, or any other of its options)
     * @param appid  the account's entry of the per-account options ({@code accounts}, {@code authorizers}), else null
     * @return the key the operator sets
     */
    String name(String option, String appid);

    default String name(String option) {
        return name(option, null);
    }
}
