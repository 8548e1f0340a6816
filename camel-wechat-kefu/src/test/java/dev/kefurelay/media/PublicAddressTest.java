package dev.kefurelay.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublicAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254",
        "127.0.0.1", "127.255.0.9", "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1",
        "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1",
        "239.255.255.250", "240.0.0.1", "255.255.255.255",
        // IPv6: unspecified, loopback, unique-local, link-local, site-local, multicast, documentation, Teredo,
        // benchmarking, discard-only, local-use NAT64
        "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1", "2001:db8::1", "3fff::1",
        "2001::1", "2001:2::1", "100::1", "64:ff9b:1::1",
        // IPv6 carrying a private IPv4 address: mapped (Java reads it as the IPv4 one), compatible, NAT64, 6to4
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "::10.0.0.1", "64:ff9b::a00:1", "64:ff9b::7f00:1",
        "2002:7f00:1::1", "2002:a9fe:a9fe::1"})
    void addressesThatAreNotPublic(String address) throws Exception {
        assertFalse(PublicAddress.isPublic(InetAddress.getByName(address)), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "93.184.216.34", "100.63.255.255", "100.128.0.0", "172.15.255.255",
        "172.32.0.0", "192.169.0.1", "198.17.255.255", "198.20.0.0", "223.255.255.255", "11.0.0.1",
        "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "64:ff9b::808:808", "2002:808:808::1",
        "::ffff:8.8.8.8"})
    void publicAddresses(String address) throws Exception {
        assertTrue(PublicAddress.isPublic(InetAddress.getByName(address)), address);
    }

    @Test
    void aMappedAddressGivenAsBytesIsAsPublicAsItsIpv4Address() {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1};
        assertFalse(PublicAddress.isPublic(mapped));
        mapped[12] = 8;
        mapped[13] = 8;
        mapped[14] = 8;
        mapped[15] = 8;
        assertTrue(PublicAddress.isPublic(mapped));
    }

    @Test
    void rangesParseAndContain() throws Exception {
        AddressRange ten = AddressRange.parse("10.1.0.0/16");
        assertTrue(ten.contains(InetAddress.getByName("10.1.255.3")));
        assertFalse(ten.contains(InetAddress.getByName("10.2.0.1")));
        assertFalse(ten.contains(InetAddress.getByName("a01::1")), "an IPv6 address is never in an IPv4 range");
        AddressRange odd = AddressRange.parse("172.16.0.0/12");
        assertTrue(odd.contains(InetAddress.getByName("172.31.0.1")));
        assertFalse(odd.contains(InetAddress.getByName("172.32.0.1")));
        assertEquals("192.168.1.7/32", AddressRange.parse("192.168.1.7").toString());
        assertTrue(AddressRange.parse("[fd00::]/8").contains(InetAddress.getByName("fd12::1")));
        assertEquals(AddressRange.parse("10.0.0.0/8"), AddressRange.parse("10.0.0.0/8"));
        // not literals: host names, and the short forms Java would read as an address (10.1 is 10.0.0.1)
        assertNull(AddressRange.parse("media.internal"));
        assertNull(AddressRange.parse("10.1"));
        assertNull(AddressRange.parse("2130706433"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.0/x"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("999.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("1::2::3"));
        assertNull(AddressRange.parse("http://media.internal/"));
    }

    @Test
    void theAllowListLetsNamesAndRangesThroughAndNothingElse() throws Exception {
        AllowHosts allowed = AllowHosts.parse(" 10.1.0.0/16, Media.Internal. ,,fd00::/8", "kefu.media.allow-hosts");
        assertEquals(Set.of("media.internal"), allowed.names());
        assertEquals(List.of(AddressRange.parse("10.1.0.0/16"), AddressRange.parse("fd00::/8")), allowed.ranges());
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertTrue(allowed.permits("MEDIA.internal", loopback), "a name lets whatever it resolves to through");
        assertFalse(allowed.permits("127.0.0.1", loopback));
        assertFalse(allowed.permits("other.internal", loopback));
        assertTrue(allowed.permits("10.1.2.3", InetAddress.getByName("10.1.2.3")));
        assertTrue(allowed.permits("whatever", InetAddress.getByName("10.1.2.3")), "a range goes by the address");
        assertFalse(allowed.permits("10.2.0.1", InetAddress.getByName("10.2.0.1")));
        assertTrue(allowed.permits("[fd00::5]", InetAddress.getByName("fd00::5")));
        assertTrue(allowed.permits("example.com", InetAddress.getByName("93.184.216.34")), "public is always fine");
        assertFalse(AllowHosts.NONE.permits("localhost", loopback));
        assertEquals(AllowHosts.NONE, AllowHosts.parse(" ", "k"));

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> AllowHosts.parse("10.1.0.0/16,http://media.internal/", "kefu.media.allow-hosts"));
        assertEquals("kefu.media.allow-hosts: 'http://media.internal/' is neither a host name nor an address range "
                + "such as 10.1.0.0/16; give host names or ranges separated by commas", bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> AllowHosts.parse("10.0.0.0/40", "kefu.media.allow-hosts"));
        assertTrue(bad.getMessage().startsWith("kefu.media.allow-hosts: '10.0.0.0/40' has a prefix length out of range"),
                bad.getMessage());
    }
}
