package dev.kefurelay.broker;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;

/** Turns {@link BrokerSettings} into Artemis' programmatic configuration (no broker.xml). */
final class BrokerConfiguration {

    static final String ACCEPTOR_NAME = "kefu";
    static final String IN_VM_ACCEPTOR_NAME = "kefu-in-vm";
    private static final String ROLE = "kefu";
    static final long LOCK_TIMEOUT_MS = 2_000;
    static final int PAGE_SIZE = 2 << 20;

    private BrokerConfiguration() {
    }

    static Configuration build(BrokerSettings s, int inVmId) {
        Path dir = s.dataDir().toAbsolutePath();
        ConfigurationImpl c = new ConfigurationImpl();
        c.setName("kefu-relay");
        c.setPersistenceEnabled(true);
        // NIO rather than the default ASYNCIO: libaio is a native library that most machines
        // lack; Artemis would fall back to NIO anyway, with a warning on every start.
        c.setJournalType(JournalType.NIO);
        c.setJournalDirectory(dir.resolve("journal").toString());
        c.setBindingsDirectory(dir.resolve("bindings").toString());
        c.setPagingDirectory(dir.resolve("paging").toString());
        c.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
        c.setNodeManagerLockDirectory(dir.toString());
        // A second broker on the same data dir would otherwise wait for the journal lock forever,
        // silently; this makes it fail (EmbeddedBroker.start reports it).
        c.setJournalLockAcquisitionTimeout(LOCK_TIMEOUT_MS);
        // Nothing outside this JVM manages the broker; JMX would also clash between two
        // brokers in one JVM (tests) on their MBean names.
        c.setJMXManagementEnabled(false);
        c.setSecurityEnabled(s.securityEnabled());
        c.addAcceptorConfiguration(acceptor(s));
        c.addAcceptorConfiguration(inVmAcceptor(inVmId));

        addressSettings(c, s);
        queues(c, s);
        if (s.securityEnabled()) {
            c.putSecurityRoles("#", Set.of(allowEverything()));
        }
        return c;
    }

    /**
     * One user, allowed everything, checked in memory. Null when security is off: Artemis then
     * uses its default manager, which the disabled security never consults.
     */
    static ActiveMQSecurityManager securityManager(BrokerSettings s) {
        if (!s.securityEnabled()) {
            return null;
        }
        SecurityConfiguration users = new SecurityConfiguration();
        users.addUser(s.user(), s.password());
        users.addRole(s.user(), ROLE);
        return new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users);
    }

    /** Built from a parameter map, not a URI string, so an IPv6 host needs no bracket handling. */
    private static TransportConfiguration acceptor(BrokerSettings s) {
        Map<String, Object> params = Map.of(
                TransportConstants.HOST_PROP_NAME, s.bindHost(),
                TransportConstants.PORT_PROP_NAME, s.port(), // 0: the OS picks; read back after start
                TransportConstants.PROTOCOLS_PROP_NAME, "CORE,AMQP");
        return new TransportConfiguration(NettyAcceptorFactory.class.getName(), params, ACCEPTOR_NAME);
    }

    /** For this JVM's own clients ({@link EmbeddedBroker#inVmUrl()}); reachable from nowhere else. */
    private static TransportConfiguration inVmAcceptor(int inVmId) {
        Map<String, Object> params = Map.of(
                org.apache.activemq.artemis.core.remoting.impl.invm.TransportConstants.SERVER_ID_PROP_NAME, inVmId);
        return new TransportConfiguration(InVMAcceptorFactory.class.getName(), params, IN_VM_ACCEPTOR_NAME);
    }

    private static void addressSettings(ConfigurationImpl c, BrokerSettings s) {
        SimpleString dla = SimpleString.of(s.deadLetterQueue());
        // Every address: after maxDeliveryAttempts rollbacks the message moves to our DLQ, so a
        // poison message cannot loop forever. Auto-created DLQ/expiry resources stay off: they would
        // invent queues named DLQ.<address> beside the contract's kefu.outbound.dlq.
        c.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(dla)
                .setMaxDeliveryAttempts(s.maxDeliveryAttempts())
                .setAutoCreateDeadLetterResources(false)
                .setAutoCreateExpiryResources(false)
                // Expired messages are dropped, as Artemis does without an expiry address; saying so
                // explicitly (empty, not null) also stops warning AMQ222166 on every start. Not the
                // DLQ: Camel request-reply puts a TTL on requests, and a caller that timed out has
                // already seen the failure (replaying it from the DLQ would send twice); expired
                // replies in reply queues would only litter the DLQ.
                .setExpiryAddress(SimpleString.of(""))
                // A backlog (WeChat down for an hour, a bulk load) beyond this pages to disk instead of filling
                // the heap: 100,000 queued messages held ~180 MB of heap without it, ~40 MB with 16 MB here.
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setMaxSizeBytes(s.queueMemoryBytes())
                .setPageSizeBytes(pageSize(s.queueMemoryBytes())));
        // The DLQ itself: a message there that fails again would otherwise be "dead-lettered" to
        // itself or, once no DLA applies, dropped. Nothing accepted is ever lost, so it stays put.
        c.addAddressSetting(s.deadLetterQueue(), new AddressSettings()
                .setMaxDeliveryAttempts(-1));
    }

    /** Small pages, so that reading the backlog back holds a few MB at a time (Artemis' default: 10 MB pages). */
    static int pageSize(long queueMemory) {
        return (int) Math.min(PAGE_SIZE, queueMemory / 2);
    }

    private static void queues(ConfigurationImpl c, BrokerSettings s) {
        Set<String> names = new LinkedHashSet<>(s.queues());
        names.add(s.deadLetterQueue());
        for (String name : names) {
            c.addQueueConfiguration(QueueConfiguration.of(name)
                    .setAddress(name)
                    .setRoutingType(RoutingType.ANYCAST)
                    .setDurable(true));
        }
    }

    private static Role allowEverything() {
        // name, send, consume, createDurableQueue, deleteDurableQueue, createNonDurableQueue,
        // deleteNonDurableQueue, manage, browse, createAddress, deleteAddress, view, edit
        return new Role(ROLE, true, true, true, true, true, true, true, true, true, true, true, true);
    }
}
