package dev.kefurelay.component;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.kefurelay.message.AccountKind;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.token.OptionNames;
import dev.kefurelay.token.TokenCache;
import dev.kefurelay.token.TokenSources;
import dev.kefurelay.wecom.KfPuller;
import dev.kefurelay.wecom.WeComSending;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code wechat-kefu} component. Each instance holds one sending state ({@link SendingState}): the WeChat client
 * (one HTTP client and connection pool), the token caches with single flight, the store (local folder, or PostgreSQL
 * shared by several instances: tokens, ids delivered in the last 48 hours, accounts paused for their daily quota,
 * refresh tokens and the verify ticket), and the scheduler of retries. It starts no server: its consumer
 * ({@code wechat-kefu:push}) listens on the application's own, through platform-http. Its options
 * ({@link WeChatKefuComponentConfiguration}) are bound from {@code camel.component.wechat-kefu.*} or set in Java
 * through {@link #getConfiguration()} before it starts.
 * Each account it sends for has a producer health check ({@link AccountHealthChecks}).
 */
@Component("wechat-kefu")
public class WeChatKefuComponent extends HealthCheckComponent {

    private static final Logger LOG = LoggerFactory.getLogger(WeChatKefuComponent.class);

    @Metadata(label = "advanced", description = "The component's options as one bean; each of them can be set on "
            + "its own too.")
    private WeChatKefuComponentConfiguration configuration = new WeChatKefuComponentConfiguration();

    /**
     * How errors and warnings name the options to set; an application that maps keys of its own onto these options
     * names its keys. Set in Java, not a catalog option: a Camel application's keys are the component's own.
     */
    private OptionNames optionNames = OptionNames.CAMEL;

    private volatile SendingState state;
    private AccountHealthChecks healthChecks;
    /** The WeCom corps' checks, beside the accounts': the same rule over the corps' token cache. */
    private AccountHealthChecks wecomHealthChecks;
    /** Tells the store that the application stops (see doStart). */
    private LifecycleStrategySupport stopping;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        WeChatKefuConfiguration endpointConfiguration = new WeChatKefuConfiguration();
        endpointConfiguration.setOperation(operation(remaining));
        WeChatKefuEndpoint endpoint = new WeChatKefuEndpoint(uri, this, endpointConfiguration);
        setProperties(endpoint, parameters);
        if (endpointConfiguration.getFailure() == null) {
            throw new IllegalArgumentException("wechat-kefu: failure is not set: use exception or outcome");
        }
        OptionChecks.endpointKind(endpointConfiguration.getKind());
        return endpoint;
    }

    private static WeChatKefuOperation operation(String remaining) {
        try {
            return WeChatKefuOperation.valueOf(remaining);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("wechat-kefu:" + remaining + " is not an operation: use "
                    + "wechat-kefu:send, wechat-kefu:typing, wechat-kefu:interaction or, to receive, wechat-kefu:push");
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        state = SendingState.start(configuration, optionNames, getCamelContext().getExecutorServiceManager(), this);
        warnOnceStartedIfNoAccount(state.tokens());
        healthChecks = new AccountHealthChecks(getCamelContext(), isHealthCheckProducerEnabled(),
                new AccountReadiness(AccountReadiness.Api.WECHAT, state.tokens().tokens(), state.pauses(),
                        configuration.getRetryMaxDelay(), AccountReadiness.FETCH_WAIT));
        state.tokens().configuredAccounts().forEach(healthChecks::add);
        WeComSending wecom = state.wecom();
        if (wecom != null) {
            wecomHealthChecks = new AccountHealthChecks(getCamelContext(), isHealthCheckProducerEnabled(),
                    new AccountReadiness(AccountReadiness.Api.WECOM, wecom.tokens(), state.pauses(),
                            configuration.getRetryMaxDelay(), AccountReadiness.FETCH_WAIT));
            wecom.corps().forEach(wecomHealthChecks::add);
        }
        KefuStore store = state.store();
        // before the routes stop, not when this component does (after them): a route's graceful stop waits for its
        // messages in flight, and one waiting for a store that is away would hold it up
        stopping = new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext context) {
                store.stopWaiting();
            }
        };
        getCamelContext().addLifecycleStrategy(stopping);
    }

    /**
     * An application without any credentials would start and fail each message: say so once, when the routes have
     * started, since an endpoint may bring its account (option secret) as it starts.
     */
    private void warnOnceStartedIfNoAccount(TokenSources tokens) throws Exception {
        AtomicBoolean said = new AtomicBoolean();
        getCamelContext().addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                // true only when this component started in a running context: then nothing else will call
                if (alreadyStarted && said.compareAndSet(false, true)) {
                    tokens.noAccount().ifPresent(LOG::warn);
                }
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                if (said.compareAndSet(false, true)) {
                    tokens.noAccount().ifPresent(LOG::warn);
                }
            }
        });
    }

    @Override
    protected void doStop() throws Exception {
        SendingState s = state;
        state = null;
        if (healthChecks != null) {
            healthChecks.removeAll();
            healthChecks = null;
        }
        if (wecomHealthChecks != null) {
            wecomHealthChecks.removeAll();
            wecomHealthChecks = null;
        }
        if (stopping != null) {
            getCamelContext().getLifecycleStrategies().remove(stopping);
            stopping = null;
        }
        if (s != null) {
            s.close();
        }
        super.doStop();
    }

    private SendingState state() {
        SendingState s = state;
        if (s == null) {
            throw new IllegalStateException("the wechat-kefu component is not started");
        }
        return s;
    }

    SendSteps steps() {
        return state().steps();
    }

    Outcomes outcomes() {
        return state().outcomes();
    }

    /** What sends WeCom 微信客服 messages, or null when no corp is configured. */
    WeComSending wecom() {
        return state().wecom();
    }

    /**
     * A puller of WeCom kf accounts' messages (kf/sync_msg, cursor and lease in this component's store), for an
     * application that takes WeCom's callbacks; empty when no corp is configured.
     *
     * @param owner names the puller in the store's leases: unique per process
     * @param lease how long a pull holds a kf account without renewing
     */
    public Optional<KfPuller> wecomPuller(String owner, java.time.Duration lease) {
        WeComSending wecom = state().wecom();
        return Optional.ofNullable(wecom == null ? null : wecom.puller(owner, lease));
    }

    /** The WeCom corps' tokens, or empty when no corp is configured: for health checks and metrics. */
    public Optional<TokenCache> wecomTokens() {
        SendingState s = state;
        return Optional.ofNullable(s == null || s.wecom() == null ? null : s.wecom().tokens());
    }

    /** Where an exchange goes on once its outcome is known (and where its calls ran, unless synchronous). */
    ComponentPool continuations() {
        return state().continuations();
    }

    /** The store of this component's state: for health checks. */
    public KefuStore store() {
        return state().store();
    }

    /**
     * The window book: record the pushes an application receives itself ({@link WindowBook#record}, or the endpoint
     * {@code wechat-kefu:interaction}), read how many windows are open (metrics).
     */
    public WindowBook windows() {
        return state().steps().windows();
    }

    /** The sending tokens (per account, or per authorizer in component mode): for health checks and metrics. */
    public TokenCache tokens() {
        return state().tokens().tokens();
    }

    /**
     * Whether this component sends for the appid now (a configured account, a known authorizer, a configured WeCom
     * corp); false before it started. For labels and checks that must not name every appid a message may carry.
     */
    public boolean isConfigured(String appid) {
        SendingState s = state;
        return s != null && (s.tokens().tokens().isConfigured(appid)
                || s.wecom() != null && s.wecom().tokens().isConfigured(appid));
    }

    /** Makes an account known whose secret an endpoint brings (see the endpoint option {@code secret}). */
    void addAccount(String appid, String secret) {
        state().tokens().addAccount(appid, secret);
        healthChecks.add(appid);
    }

    /**
     * The account's kind (option accountKinds, or an endpoint's kind): what the send flow checks a message by and
     * where a typing call goes. An appid nobody named is an Official Account.
     */
    public AccountKind accountKind(String appid) {
        return state().kinds().of(appid);
    }

    /** Names an account's kind an endpoint brings (see the endpoint option {@code kind}). */
    void addAccountKind(String appid, AccountKind kind) {
        state().kinds().add(appid, kind);
    }

    /** Component mode's inputs (tickets, authorizers' refresh tokens); empty in the other modes. */
    public Optional<TokenSources.Platform> platform() {
        return state().tokens().platform();
    }

    public WeChatKefuComponentConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(WeChatKefuComponentConfiguration configuration) {
        this.configuration = configuration;
    }

    public OptionNames getOptionNames() {
        return optionNames;
    }

    public void setOptionNames(OptionNames optionNames) {
        this.optionNames = optionNames == null ? OptionNames.CAMEL : optionNames;
    }
}
